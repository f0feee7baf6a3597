/**
 * Reference 2-d convolution (cross-correlation, NCHW, no bias) and both backward passes, each
 * written as a gather: every output cell sums exactly the products that define it, so the
 * three functions can be checked against each other and against the definition.
 */
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
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
export const refConv2dBackwardInput = (dy: TypedArray, dyShape: Shape, w: TypedArray, wShape: Shape, xShape: Shape, a: Conv2dAttrs, out?: TypedArray): TypedArray => {
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
export const refConv2dBackwardFilter = (x: TypedArray, xShape: Shape, dy: TypedArray, dyShape: Shape, wShape: Shape, a: Conv2dAttrs, out?: TypedArray): TypedArray => {
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
