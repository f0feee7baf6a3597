/**
 * Max pooling without building each window's cell list: the same first-arg-max rule as the
 * reference (row-major order within the window, padding never wins, a NaN wins and
 * propagates), in direct loops. Backward recomputes each window's arg-max and routes dy there.
 */
import type { Pool2dAttrs } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import type { Shape } from '../../../lib/tensor/shape.js';
import { pool2dOutShape } from '../reference/pool2d.js';

/** Calls visit(outIndex, argMaxIndex or -1) for every window. */
const eachArgMax = (x: TypedArray, xShape: Shape, a: Pool2dAttrs, visit: (o: number, k: number) => void): void => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = pool2dOutShape(xShape, a);
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
        visit(o, best);
      }
    }
  }
};

export const lightMaxPool2d = (x: TypedArray, xShape: Shape, a: Pool2dAttrs, out: TypedArray): void => {
  eachArgMax(x, xShape, a, (o, k) => {
    out[o] = k < 0 ? -Infinity : x[k];
  });
};

export const lightMaxPool2dBackward = (x: TypedArray, xShape: Shape, dy: TypedArray, a: Pool2dAttrs, out: TypedArray): void => {
  out.fill(0);
  eachArgMax(x, xShape, a, (o, k) => {
    if (k >= 0) out[k] += dy[o];
  });
};
