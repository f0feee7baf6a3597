/** Joining tensors: concat along an existing axis, stack along a new one, and broadcastTo. */
import { record } from '../autograd/tape.js';
import { EngineError, shapeError } from '../errors.js';
import { broadcastShapes, normAxes, sameShape, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sameBackendAndDtype } from './guard.js';
import { reshape, unsqueeze } from './shape-ops.js';

/** Inputs joined along `axis`; every other dimension must agree. */
export const concat = (xs: readonly Tensor[], axis: number): Tensor => {
  if (xs.length === 0) throw new EngineError('ArgumentError', 'concat', 'needs at least one tensor');
  const first = xs[0];
  sameBackendAndDtype('concat', ...xs);
  const [ax] = normAxes('concat', first.rank, axis);
  for (const x of xs) {
    if (x.rank !== first.rank || x.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw shapeError('concat', `shapes differ off axis ${ax}`, first.shape, x.shape);
    }
  }
  const sizes = xs.map((x) => x.shape[ax]);
  const outShape = first.shape.map((d, i) => (i === ax ? sizes.reduce((a, b) => a + b, 0) : d));
  const h = first.backend.concat(
    xs.map((x) => x.handle),
    xs.map((x) => x.shape),
    ax,
  );
  return record(new Tensor(first.backend, h, outShape), 'concat', xs, { axis: ax, sizes });
};

/** Equal-shaped inputs stacked along a new axis (in [-(rank+1), rank]). */
export const stack = (xs: readonly Tensor[], axis = 0): Tensor => {
  if (xs.length === 0) throw new EngineError('ArgumentError', 'stack', 'needs at least one tensor');
  const r = xs[0].rank;
  const ax = axis < 0 ? axis + r + 1 : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax > r) throw new EngineError('ArgumentError', 'stack', `axis ${axis} out of range for rank ${r} inputs`);
  for (const x of xs) if (!sameShape(x.shape, xs[0].shape)) throw shapeError('stack', 'all inputs must have the same shape', xs[0].shape, x.shape);
  return concat(
    xs.map((x) => unsqueeze(x, ax)),
    ax,
  );
};

/** x broadcast (NumPy rules) to exactly `shape`. Gradient: summed back over the broadcast axes. */
export const broadcastTo = (x: Tensor, shape: Shape): Tensor => {
  const out = broadcastShapes('broadcastTo', x.shape, shape);
  if (!sameShape(out, shape)) throw shapeError('broadcastTo', 'cannot broadcast to the target', x.shape, shape);
  if (sameShape(x.shape, shape)) return reshape(x, shape); // a view: no copy
  const b = x.backend;
  const zero = b.fill(1, 0, x.dtype);
  try {
    const h = b.binary('add', x.handle, x.shape, zero, [], shape);
    return record(new Tensor(b, h, [...shape]), 'broadcastTo', [x]);
  } finally {
    b.release(zero);
  }
};
