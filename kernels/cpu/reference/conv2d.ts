/**
 * Reference 2-d convolution (cross-correlation, NCHW, no bias) and both backward passes, each
 * written as a gather: every output cell sums exactly the products that define it, so the
 * three functions can be checked against each other and against the definition.
 */
import type { Conv2dAttrs, ConvActivation } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { windowOutSize, type Shape } from '../../../lib/tensor/shape.js';
import { outLike } from './alloc.js';

/** [N, O, OH, OW] for x [N, C, H, W] and w [O, C, KH, KW]. */
export const conv2dOutShape = (xShape: Shape, wShape: Shape, a: Conv2dAttrs): [number, number, number, number] => [
  xShape[0],
  wShape[0],
  windowOutSize(xShape[2], wShape[2], a.stride[0], a.pad[0]),
  windowOutSize(xShape[3], wShape[3], a.stride[1], a.pad[1]),
];

export const refConv2d = (x: TypedArray, xShape: Shape, w: TypedArray, wShape: Shape, a: Conv2dAttrs, out?: TypedArray): TypedArray => {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const [, , oh, ow] = conv2dOutShape(xShape, wShape, a);
  const [sh, sw] = a.stride;
  const [ph, pw] = a.pad;
  const y = outLike(x, n * o * oh * ow, out);
  for (let b = 0; b < n; b++)
    for (let f = 0; f < o; f++)
      for (let i = 0; i < oh; i++)
        for (let j = 0; j < ow; j++) {
          let acc = 0;
          for (let ch = 0; ch < c; ch++)
            for (let u = 0; u < kh; u++) {
              const r = i * sh - ph + u;
              if (r < 0 || r >= h) continue;
              for (let v = 0; v < kw; v++) {
                const q = j * sw - pw + v;
                if (q < 0 || q >= wd) continue;
                acc += x[((b * c + ch) * h + r) * wd + q] * w[((f * c + ch) * kh + u) * kw + v];
              }
            }
          y[((b * o + f) * oh + i) * ow + j] = acc;
        }
  return y;
};

/** dx[b, ch, r, q] = sum over (f, u, v) with r = i*sh - ph + u, q = j*sw - pw + v of dy[b, f, i, j] w[f, ch, u, v]. */
export const refConv2dBackwardInput = (
  dy: TypedArray,
  dyShape: Shape,
  w: TypedArray,
  wShape: Shape,
  xShape: Shape,
  a: Conv2dAttrs,
  out?: TypedArray,
): TypedArray => {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const [, , oh, ow] = dyShape;
  const [sh, sw] = a.stride;
  const [ph, pw] = a.pad;
  const dx = outLike(dy, n * c * h * wd, out);
  for (let b = 0; b < n; b++)
    for (let ch = 0; ch < c; ch++)
      for (let r = 0; r < h; r++)
        for (let q = 0; q < wd; q++) {
          let acc = 0;
          for (let u = 0; u < kh; u++) {
            const ti = r + ph - u;
            if (ti < 0 || ti % sh !== 0 || ti / sh >= oh) continue;
            const i = ti / sh;
            for (let v = 0; v < kw; v++) {
              const tj = q + pw - v;
              if (tj < 0 || tj % sw !== 0 || tj / sw >= ow) continue;
              const j = tj / sw;
              for (let f = 0; f < o; f++) acc += dy[((b * o + f) * oh + i) * ow + j] * w[((f * c + ch) * kh + u) * kw + v];
            }
          }
          dx[((b * c + ch) * h + r) * wd + q] = acc;
        }
  return dx;
};

/** dw[f, ch, u, v] = sum over (b, i, j) of dy[b, f, i, j] x[b, ch, i*sh - ph + u, j*sw - pw + v] (in bounds). */
export const refConv2dBackwardFilter = (
  x: TypedArray,
  xShape: Shape,
  dy: TypedArray,
  dyShape: Shape,
  wShape: Shape,
  a: Conv2dAttrs,
  out?: TypedArray,
): TypedArray => {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const [, , oh, ow] = dyShape;
  const [sh, sw] = a.stride;
  const [ph, pw] = a.pad;
  const dw = outLike(x, o * c * kh * kw, out);
  for (let f = 0; f < o; f++)
    for (let ch = 0; ch < c; ch++)
      for (let u = 0; u < kh; u++)
        for (let v = 0; v < kw; v++) {
          let acc = 0;
          for (let b = 0; b < n; b++)
            for (let i = 0; i < oh; i++) {
              const r = i * sh - ph + u;
              if (r < 0 || r >= h) continue;
              for (let j = 0; j < ow; j++) {
                const q = j * sw - pw + v;
                if (q < 0 || q >= wd) continue;
                acc += dy[((b * o + f) * oh + i) * ow + j] * x[((b * c + ch) * h + r) * wd + q];
              }
            }
          dw[((f * c + ch) * kh + u) * kw + v] = acc;
        }
  return dw;
};

/**
 * The optional fused primitive: y = act(conv2d(x, w) + bias[o]), bias [O], act 'relu' (x < 0 ?
 * 0 : x, as the relu op) or 'none'. Defined as exactly that composition, applied in place.
 */
export const refConv2dBiasAct = (
  x: TypedArray,
  xShape: Shape,
  w: TypedArray,
  wShape: Shape,
  bias: TypedArray,
  a: Conv2dAttrs,
  act: ConvActivation,
  out?: TypedArray,
): TypedArray => {
  const y = refConv2d(x, xShape, w, wShape, a, out);
  applyBiasAct(y, wShape[0], y.length / (xShape[0] * wShape[0]), bias, act);
  return y;
};

/** y [N, O, P] (P = OH*OW) += bias[o], then ReLU when act is 'relu': in place. */
export const applyBiasAct = (y: TypedArray, O: number, P: number, bias: TypedArray, act: ConvActivation): void => {
  for (let base = 0, o = 0; base < y.length; base += P, o = (o + 1) % O) {
    const b = bias[o];
    if (act === 'relu') {
      for (let j = base; j < base + P; j++) {
        const v = y[j] + b;
        y[j] = v < 0 ? 0 : v;
      }
    } else for (let j = base; j < base + P; j++) y[j] += b;
  }
};
