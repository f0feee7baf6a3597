/** Reference softmax over the last axis of [rows, cols]: shift by the row max so exp never overflows. */
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { outLike } from './alloc.js';

export const refSoftmax = (x: TypedArray, rows: number, cols: number, out?: TypedArray): TypedArray => {
  const y = outLike(x, rows * cols, out);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (x[at + j] > m) m = x[at + j];
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[at + j] - m);
    for (let j = 0; j < cols; j++) y[at + j] = Math.exp(x[at + j] - m) / s; // NaN in a row makes s NaN: the row is NaN
  }
  return y;
};
