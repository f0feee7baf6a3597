/** Boxes and rows: slice and its adjoint padInto, gather and its adjoint scatterAdd. */
import { record } from '../autograd/tape.js';
import { EngineError, fmtShape, shapeError } from '../errors.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

const checkBox = (op: string, shape: Shape, begin: readonly number[], size: readonly number[]) => {
  if (begin.length !== shape.length || size.length !== shape.length) {
    throw shapeError(op, `begin [${begin.join(', ')}] and size [${size.join(', ')}] must have one entry per axis`, shape, size);
  }
  shape.forEach((d, i) => {
    const b = begin[i];
    const s = size[i];
    if (!Number.isInteger(b) || !Number.isInteger(s) || b < 0 || s < 0 || b + s > d) {
      throw shapeError(op, `box begin [${begin.join(', ')}] size [${size.join(', ')}] does not fit (axis ${i})`, shape, size);
    }
  });
};

/** The box [begin, begin + size) of x (a copy); a size of -1 runs to the end of that axis. */
export const slice = (x: Tensor, begin: readonly number[], size: readonly number[]): Tensor => {
  const sz = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  checkBox('slice', x.shape, begin, sz);
  const out = new Tensor(x.backend, x.backend.slice(x.handle, x.shape, begin, sz), sz);
  return record(out, 'slice', [x], { begin: [...begin] });
};

/** Zeros of outShape with x written at `begin`: slice's adjoint. */
export const padInto = (x: Tensor, begin: readonly number[], outShape: Shape): Tensor => {
  checkBox('padInto', outShape, begin, x.shape);
  const out = new Tensor(x.backend, x.backend.padInto(x.handle, x.shape, begin, outShape), [...outShape]);
  return record(out, 'padInto', [x], { begin: [...begin] });
};

const toIndices = (op: string, indices: Int32Array | readonly number[], rows: number): Int32Array => {
  const idx = indices instanceof Int32Array ? indices : Int32Array.from(indices);
  for (let i = 0; i < idx.length; i++) {
    const v = indices[i];
    if (!Number.isInteger(v) || v < 0 || v >= rows) throw new EngineError('ArgumentError', op, `index ${v} at position ${i} is out of range [0, ${rows})`);
  }
  return idx;
};

/** Rows of x along axis 0: out[i, ...] = x[indices[i], ...]. Gradient: scatterAdd. */
export const gather = (x: Tensor, indices: Int32Array | readonly number[]): Tensor => {
  if (x.rank < 1) throw new EngineError('ShapeError', 'gather', `needs rank >= 1, got ${fmtShape(x.shape)}`);
  const idx = toIndices('gather', indices, x.shape[0]);
  const outShape = [idx.length, ...x.shape.slice(1)];
  const out = new Tensor(x.backend, x.backend.gather(x.handle, x.shape, idx), outShape);
  return record(out, 'gather', [x], { indices: idx });
};

/** outRows rows of zeros with g's rows added at `indices` (repeats accumulate): gather's adjoint. */
export const scatterAdd = (g: Tensor, indices: Int32Array | readonly number[], outRows: number): Tensor => {
  if (g.rank < 1 || g.shape[0] !== indices.length) {
    throw new EngineError('ShapeError', 'scatterAdd', `g ${fmtShape(g.shape)} must have one row per index (${indices.length} indices)`);
  }
  const idx = toIndices('scatterAdd', indices, outRows);
  const outShape = [outRows, ...g.shape.slice(1)];
  if (sizeOf(outShape) < 0) throw new EngineError('ArgumentError', 'scatterAdd', `invalid outRows ${outRows}`);
  const out = new Tensor(g.backend, g.backend.scatterAdd(g.handle, g.shape, idx, outRows), outShape);
  return record(out, 'scatterAdd', [g], { indices: idx });
};
