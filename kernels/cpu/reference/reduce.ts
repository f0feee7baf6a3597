/** Reference reduction: for each output cell, fold over the reduced sub-box (accumulating in double precision). */
import type { ReduceOp } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { sizeOf, stridesOf, type Shape } from '../../../lib/tensor/shape.js';
import { forEachBroadcast } from './elementwise.js';
import { outLike } from './alloc.js';

const INIT: Record<ReduceOp, number> = { sum: 0, max: -Infinity, min: Infinity };
// max/min: a NaN anywhere in the window wins (v !== v), so NaN propagates.
const FOLD: Record<ReduceOp, (acc: number, v: number) => number> = {
  sum: (acc, v) => acc + v,
  max: (acc, v) => (v > acc || v !== v ? (acc !== acc ? acc : v) : acc),
  min: (acc, v) => (v < acc || v !== v ? (acc !== acc ? acc : v) : acc),
};

/** Offsets (relative to a cell's base) of every element of the reduced sub-box. */
const boxOffsets = (shape: Shape, axes: readonly number[]): Int32Array => {
  const st = stridesOf(shape);
  const boxShape = axes.map((a) => shape[a]);
  const offs = new Int32Array(sizeOf(boxShape));
  forEachBroadcast(boxShape, [axes.map((a) => st[a])], (i, o) => {
    offs[i] = o;
  });
  return offs;
};

/** Reduce x over `axes` (sorted, unique); the output has shape with those axes set to 1. */
export const refReduce = (op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out?: TypedArray): TypedArray => {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const o = outLike(x, sizeOf(outShape), out);
  const box = boxOffsets(shape, axes);
  const fold = FOLD[op];
  const init = INIT[op];
  // base offset of each output cell in x: the output walks x with x's strides (reduced axes have extent 1)
  forEachBroadcast(outShape, [stridesOf(shape)], (i, base) => {
    let acc = init;
    for (let r = 0; r < box.length; r++) acc = fold(acc, x[base + box[r]]);
    o[i] = acc;
  });
  return o;
};
