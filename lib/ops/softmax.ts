/**
 * softmax and logSoftmax along an axis, both stable (shifted by the max). NaN anywhere in a
 * slice makes that slice NaN (propagated, not checked: finiteness is the caller's business).
 */
import { EngineError, fmtShape } from '../errors.js';
import { normAxes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { exp, log, sub } from './elementwise.js';
import { fused } from './fused.js';
import { max, sum } from './reduce.js';
import { permute } from './shape-ops.js';

const lastAxis = (op: string, x: Tensor, axis: number): number => {
  if (x.rank < 1) throw new EngineError('ShapeError', op, `needs rank >= 1, got ${fmtShape(x.shape)}`);
  return normAxes(op, x.rank, axis)[0];
};

/** Softmax over the last axis through the backend kernel (unrecorded). */
const softmaxLast = (x: Tensor): Tensor => {
  const cols = x.shape[x.rank - 1];
  const rows = cols === 0 ? 0 : sizeOf(x.shape) / cols;
  return new Tensor(x.backend, x.backend.softmax(x.handle, rows, cols), x.shape);
};

export const softmax = (x: Tensor, axis = -1): Tensor => {
  const ax = lastAxis('softmax', x, axis);
  return fused('softmax', [x], { axis: ax }, () => {
    if (ax === x.rank - 1) return softmaxLast(x);
    const p = x.shape.map((_, i) => i);
    [p[ax], p[x.rank - 1]] = [p[x.rank - 1], p[ax]]; // a swap is its own inverse
    return permute(softmaxLast(permute(x, p)), p);
  });
};

export const logSoftmax = (x: Tensor, axis = -1): Tensor => {
  const ax = lastAxis('logSoftmax', x, axis);
  return fused('logSoftmax', [x], { axis: ax }, () => {
    const z = sub(x, max(x, ax, true));
    return sub(z, log(sum(exp(z), ax, true)));
  });
};
