/** dw [O, C, KH, KW] of a 2-D convolution: each filter cell sums dy * x over images and output cells. */
import type { Conv2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { conv2dBackwardFilterPacked, PACKED_CONV_MIN_MACS } from './conv2d-packed.js';
import { conv2dBackwardFilterQuad } from './conv2d-quad.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const conv2dBackwardFilter = (rt: Runtime, x: GpuHandle, xShape: Shape, dy: GpuHandle, dyShape: Shape, wShape: Shape, attrs: Conv2dAttrs): GpuHandle => {
  const [n, c, h, wd] = xShape;
  const [, , oh, ow] = dyShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  if (rt.usePacked(o * c * kh * kw * n * oh * ow, PACKED_CONV_MIN_MACS)) {
    const packed = conv2dBackwardFilterPacked(rt, x, xShape, dy, dyShape, wShape, attrs);
    if (packed) return packed;
  }
  const quad = conv2dBackwardFilterQuad(rt, x, xShape, dy, dyShape, wShape, attrs);
  if (quad) return quad;
  let s = coords('f', 'j', [o, c, kh, kw]); // f0 filter, f1 channel, f2 ky, f3 kx
  s += '  let acc = 0.0;\n';
  s += `  for (let b = 0; b < ${n}; b++) {\n  for (let oy = 0; oy < ${oh}; oy++) {\n  const iy = oy * ${sh} - ${ph} + f2;\n`;
  s += `  if (iy >= 0 && iy < ${h}) {\n  for (let ox = 0; ox < ${ow}; ox++) {\n  const ix = ox * ${sw} - ${pw} + f3;\n`;
  s += `  if (ix >= 0 && ix < ${wd}) {\n`;
  s += readFlat('gv', 'dy', `((b * ${o} + f0) * ${oh} + oy) * ${ow} + ox`, dy);
  s += readFlat('xv', 'x', `((b * ${c} + f1) * ${h} + iy) * ${wd} + ix`, x);
  s += '  acc += gv * xv;\n  }\n  }\n  }\n  }\n  }\n  return acc;';
  return rt.run(['x', 'dy'], s, o * c * kh * kw, [x, dy]);
};
