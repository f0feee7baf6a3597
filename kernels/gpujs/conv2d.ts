/**
 * Direct 2-D convolution: x [N, C, H, W], w [O, C, KH, KW] -> [N, O, OH, OW], one thread per
 * output cell (four on WebGPU: conv2d-quad.ts); with `epilogue`, the fused form act(conv + bias[o]) in the same kernel (one launch
 * and one output texture instead of three).
 */
import type { Conv2dAttrs, ConvActivation } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { conv2dPacked, PACKED_CONV_MIN_MACS } from './conv2d-packed.js';
import { conv2dQuad } from './conv2d-quad.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const convOutSize = (inSize: number, k: number, stride: number, pad: number) => Math.floor((inSize + 2 * pad - k) / stride) + 1;

export const conv2d = (
  rt: Runtime,
  x: GpuHandle,
  xShape: Shape,
  w: GpuHandle,
  wShape: Shape,
  attrs: Conv2dAttrs,
  epilogue?: { bias: GpuHandle; act: ConvActivation },
): GpuHandle => {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const oh = convOutSize(h, kh, sh, ph);
  const ow = convOutSize(wd, kw, sw, pw);
  if (rt.usePacked(n * o * oh * ow * c * kh * kw, PACKED_CONV_MIN_MACS)) {
    const packed = conv2dPacked(rt, x, xShape, w, wShape, oh, ow, attrs, epilogue);
    if (packed) return packed;
  }
  const quad = conv2dQuad(rt, x, xShape, w, wShape, oh, ow, attrs, epilogue);
  if (quad) return quad;
  let s = coords('o', 'j', [n, o, oh, ow]); // o0 image, o1 filter, o2 row, o3 column
  s += '  let acc = 0.0;\n';
  s += `  for (let c = 0; c < ${c}; c++) {\n  for (let ky = 0; ky < ${kh}; ky++) {\n  const iy = o2 * ${sh} - ${ph} + ky;\n`;
  s += `  if (iy >= 0 && iy < ${h}) {\n  for (let kx = 0; kx < ${kw}; kx++) {\n  const ix = o3 * ${sw} - ${pw} + kx;\n`;
  s += `  if (ix >= 0 && ix < ${wd}) {\n`;
  s += readFlat('xv', 'x', `((o0 * ${c} + c) * ${h} + iy) * ${wd} + ix`, x);
  s += readFlat('wv', 'w', `((o1 * ${c} + c) * ${kh} + ky) * ${kw} + kx`, w);
  s += '  acc += xv * wv;\n  }\n  }\n  }\n  }\n  }\n';
  if (!epilogue) return rt.run(['x', 'w'], s + '  return acc;', n * o * oh * ow, [x, w]);
  s += readFlat('bv', 'b', 'o1', epilogue.bias);
  s += epilogue.act === 'relu' ? '  const y = acc + bv;\n  return y < 0.0 ? 0.0 : y;' : '  return acc + bv;';
  return rt.run(['x', 'w', 'b'], s, n * o * oh * ow, [x, w, epilogue.bias]);
};
