/** Shape ops: reshape (a view), permute/transpose (a copy). */
import { record } from '../autograd/tape.js';
import { EngineError, shapeError } from '../errors.js';
import { checkShape, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Same data, new shape; one dimension may be -1 (inferred). */
export const reshape = (x: Tensor, shape: Shape): Tensor => {
  const infer = shape.indexOf(-1);
  const target = [...shape];
  if (infer >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== infer));
    if (known === 0 || x.size % known !== 0) throw shapeError('reshape', 'cannot infer -1', x.shape, shape);
    target[infer] = x.size / known;
  }
  checkShape('reshape', target);
  if (sizeOf(target) !== x.size) throw shapeError('reshape', `sizes differ (${x.size} vs ${sizeOf(target)})`, x.shape, target);
  return record(new Tensor(x.backend, x.handle, target), 'reshape', [x], { from: x.shape });
};

export const permute = (x: Tensor, perm: readonly number[]): Tensor => {
  if (perm.length !== x.rank || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new EngineError('ArgumentError', 'permute', `[${perm.join(', ')}] is not a permutation of the ${x.rank} axes of [${x.shape.join(', ')}]`);
  }
  const outShape = perm.map((p) => x.shape[p]);
  return record(new Tensor(x.backend, x.backend.permute(x.handle, x.shape, perm), outShape), 'permute', [x], { perm });
};

/** Swap the last two axes (or permute by `perm`). */
export const transpose = (x: Tensor, perm?: readonly number[]): Tensor => {
  if (perm) return permute(x, perm);
  if (x.rank < 2) throw new EngineError('ArgumentError', 'transpose', `needs rank >= 2, got [${x.shape.join(', ')}]`);
  const p = x.shape.map((_, i) => i);
  [p[x.rank - 2], p[x.rank - 1]] = [p[x.rank - 1], p[x.rank - 2]];
  return permute(x, p);
};

export const flatten = (x: Tensor, startAxis = 1): Tensor => reshape(x, [...x.shape.slice(0, startAxis), -1]);
export const unsqueeze = (x: Tensor, axis: number): Tensor => {
  const a = axis < 0 ? axis + x.rank + 1 : axis;
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
};
export const squeeze = (x: Tensor, axis?: number): Tensor =>
  reshape(x, axis === undefined ? x.shape.filter((d) => d !== 1) : x.shape.filter((_, i) => i !== (axis < 0 ? axis + x.rank : axis) || x.shape[i] !== 1));
