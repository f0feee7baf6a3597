/** Matrix products: 2-d, batched 3-d, and leading batch dims broadcast (..., M, K) x (..., K, N). */
import { record } from '../autograd/tape.js';
import { shapeError } from '../errors.js';
import { broadcastShapes, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sameBackendAndDtype } from './guard.js';

export interface MatmulOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
}

export const matmul = (a: Tensor, b: Tensor, o: MatmulOptions = {}): Tensor => {
  sameBackendAndDtype('matmul', a, b);
  const transA = o.transA ?? false;
  const transB = o.transB ?? false;
  if (a.rank < 2 || b.rank < 2) throw shapeError('matmul', 'needs rank >= 2 on both sides', a.shape, b.shape);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [k2, n] = transB ? [bc, br] : [br, bc];
  if (k !== k2)
    throw shapeError('matmul', `inner dimensions differ (${k} vs ${k2}${transA ? ', a transposed' : ''}${transB ? ', b transposed' : ''})`, a.shape, b.shape);
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const ba = sizeOf(batchA);
  const bb = sizeOf(batchB);
  const bo = sizeOf(batch);
  // The backend broadcasts a batch of 1 only; anything richer would need an explicit expand.
  if ((ba !== bo && ba !== 1) || (bb !== bo && bb !== 1)) throw shapeError('matmul', 'batch dims must be equal or one side unbatched', a.shape, b.shape);
  const h = a.backend.matmul(a.handle, [ba, ar, ac], b.handle, [bb, br, bc], transA, transB);
  return record(new Tensor(a.backend, h, [...batch, m, n]), 'matmul', [a, b], { transA, transB });
};
