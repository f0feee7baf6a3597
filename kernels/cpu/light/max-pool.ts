/**
 * Max pooling without building each window's cell list: the same first-arg-max rule as the
 * reference (row-major order within the window, padding never wins, a NaN wins and
 * propagates). One loop finds every window's arg-max into a reused index buffer (no callback
 * per window: that call was a tenth of an AL64 step); forward gathers from it, backward
 * scatters dy through it.
 */
import type { Pool2dAttrs } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import type { Shape } from '../../../lib/tensor/shape.js';
import { pool2dOutShape } from '../reference/pool2d.js';

let scratch = new Int32Array(0);

/** Every window's arg-max (flat index into x, or -1 for a window with no in-bounds cell). */
const argMaxes = (x: TypedArray, xShape: Shape, a: Pool2dAttrs): Int32Array => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = pool2dOutShape(xShape, a);
  const total = n * c * oh * ow;
  if (scratch.length < total) scratch = new Int32Array(total);
  const idx = scratch;
  const [kh, kw] = a.kernel;
  const [sh, sw] = a.stride;
  const [ph, pw] = a.pad;
  let o = 0;
  for (let p = 0; p < n * c; p++) {
    const plane = p * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = Math.max(0, i * sh - ph);
      const r1 = Math.min(h, i * sh - ph + kh);
      for (let j = 0; j < ow; j++, o++) {
        const q0 = Math.max(0, j * sw - pw);
        const q1 = Math.min(w, j * sw - pw + kw);
        let best = -1;
        let bv = 0;
        for (let r = r0; r < r1; r++) {
          const row = plane + r * w;
          for (let q = q0; q < q1; q++) {
            const v = x[row + q];
            if (best < 0 || v > bv || (v !== v && bv === bv)) {
              best = row + q;
              bv = v;
            }
          }
        }
        idx[o] = best;
      }
    }
  }
  return idx;
};

export const lightMaxPool2d = (x: TypedArray, xShape: Shape, a: Pool2dAttrs, out: TypedArray): void => {
  const idx = argMaxes(x, xShape, a);
  for (let o = 0; o < out.length; o++) {
    const k = idx[o];
    out[o] = k < 0 ? -Infinity : x[k];
  }
};

export const lightMaxPool2dBackward = (x: TypedArray, xShape: Shape, dy: TypedArray, a: Pool2dAttrs, out: TypedArray): void => {
  const idx = argMaxes(x, xShape, a);
  out.fill(0);
  for (let o = 0; o < dy.length; o++) {
    const k = idx[o];
    if (k >= 0) out[k] += dy[o];
  }
};
