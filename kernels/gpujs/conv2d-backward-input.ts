/**
 * dx [N, C, H, W] of a 2-D convolution: each input cell gathers dy * w over the output cells
 * whose window covers it (oy = (iy + pad - ky) / stride when that divides exactly).
 */
import type { Conv2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { conv2dBackwardInputPacked, PACKED_CONV_MIN_MACS } from './conv2d-packed.js';
import { conv2dBackwardInputQuad } from './conv2d-quad.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const conv2dBackwardInput = (rt: Runtime, dy: GpuHandle, dyShape: Shape, w: GpuHandle, wShape: Shape, xShape: Shape, attrs: Conv2dAttrs): GpuHandle => {
  const [n, c, h, wd] = xShape;
  const [, , oh, ow] = dyShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  if (rt.usePacked(n * c * h * wd * o * kh * kw, PACKED_CONV_MIN_MACS)) {
    const packed = conv2dBackwardInputPacked(rt, dy, dyShape, w, wShape, xShape, attrs);
    if (packed) return packed;
  }
  const quad = conv2dBackwardInputQuad(rt, dy, dyShape, w, wShape, xShape, attrs);
  if (quad) return quad;
  let s = coords('i', 'j', [n, c, h, wd]); // i0 image, i1 channel, i2 row, i3 column
  s += '  let acc = 0.0;\n';
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const ty = i2 + ${ph} - ky;\n  const oy = Math.floor((ty + 0.5) / ${sh});\n`;
  s += `  if (ty >= 0 && oy * ${sh} === ty && oy < ${oh}) {\n`;
  s += `  for (let kx = 0; kx < ${kw}; kx++) {\n  const tx = i3 + ${pw} - kx;\n  const ox = Math.floor((tx + 0.5) / ${sw});\n`;
  s += `  if (tx >= 0 && ox * ${sw} === tx && ox < ${ow}) {\n  for (let f = 0; f < ${o}; f++) {\n`;
  s += readFlat('gv', 'dy', `((i0 * ${o} + f) * ${oh} + oy) * ${ow} + ox`, dy);
  s += readFlat('wv', 'w', `((f * ${c} + i1) * ${kh} + ky) * ${kw} + kx`, w);
  s += '  acc += gv * wv;\n  }\n  }\n  }\n  }\n  }\n  return acc;';
  return rt.run(['dy', 'w'], s, n * c * h * wd, [dy, w]);
};
