/** Reductions over axes. */
import { record } from '../autograd/tape.js';
import { normAxes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { ReduceOp } from '../backend/backend.js';
import { div, sub, square } from './elementwise.js';
import { reshape } from './shape-ops.js';

/** Tape names: binary max/min already use 'max'/'min'. */
const REDUCE_NAME = { sum: 'sum', max: 'reduceMax', min: 'reduceMin' } as const;

const reduceOp =
  (op: ReduceOp) =>
  (x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor => {
    const ax = normAxes(op, x.rank, axes);
    const keptShape = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
    const out = record(new Tensor(x.backend, x.backend.reduce(op, x.handle, x.shape, ax), keptShape), REDUCE_NAME[op], [x], { axes: ax });
    return keepDims
      ? out
      : reshape(
          out,
          x.shape.filter((_, i) => !ax.includes(i)),
        );
  };

export const sum = reduceOp('sum');
/** Max over axes; the gradient is split evenly among tied maxima. */
export const max = reduceOp('max');
export const min = reduceOp('min');

export const mean = (x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor => {
  const ax = normAxes('mean', x.rank, axes);
  const n = sizeOf(ax.map((a) => x.shape[a]));
  return div(sum(x, ax, keepDims), n);
};

/** Variance over axes; population (divide by n) unless `unbiased`. */
export const variance = (x: Tensor, axes?: number | readonly number[], keepDims = false, unbiased = false): Tensor => {
  const ax = normAxes('variance', x.rank, axes);
  const n = sizeOf(ax.map((a) => x.shape[a]));
  const centred = sub(x, mean(x, ax, true));
  const ss = sum(square(centred), ax, keepDims);
  return unbiased ? div(ss, Math.max(n - 1, 1)) : div(ss, n);
};
