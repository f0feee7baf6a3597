/**
 * Normalisation built from differentiable ops (so its gradient, through the statistics too,
 * comes from the rules of its parts): batch statistics, normalize, layerNorm.
 */
import { EngineError, shapeError } from '../errors.js';
import { broadcastShapes, normAxes, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sqrt, square, sub } from './elementwise.js';
import { sameBackendAndDtype } from './guard.js';
import { mean as meanOf } from './reduce.js';

const checkEps = (op: string, eps: number) => {
  if (!(eps >= 0)) throw new EngineError('ArgumentError', op, `eps must be >= 0, got ${eps}`);
};

/** (x - mean) / sqrt(variance + eps); mean and variance must broadcast into x's shape. */
export const normalize = (x: Tensor, mean: Tensor, variance: Tensor, eps: number): Tensor => {
  checkEps('normalize', eps);
  sameBackendAndDtype('normalize', x, mean, variance);
  for (const s of [mean, variance]) {
    if (!sameShape(broadcastShapes('normalize', x.shape, s.shape), x.shape))
      throw shapeError('normalize', 'statistics must broadcast into x', x.shape, s.shape);
  }
  return div(sub(x, mean), sqrt(add(variance, eps)));
};

/**
 * Normalises x over `axes` with the batch's mean and population variance. mean and variance keep
 * the reduced axes as size 1 (so they broadcast against x; reshape them for running statistics).
 */
export const batchNormTrain = (x: Tensor, axes: number | readonly number[], eps: number): { y: Tensor; mean: Tensor; variance: Tensor } => {
  checkEps('batchNormTrain', eps);
  const ax = normAxes('batchNormTrain', x.rank, axes);
  const mean = meanOf(x, ax, true);
  const centred = sub(x, mean);
  const variance = meanOf(square(centred), ax, true);
  return { y: div(centred, sqrt(add(variance, eps))), mean, variance };
};

/** Layer normalisation over the last axis with gain gamma [D] and shift beta [D]. */
export const layerNorm = (x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-5): Tensor => {
  if (x.rank < 1) throw shapeError('layerNorm', 'x needs rank >= 1', x.shape, gamma.shape);
  const d = x.shape[x.rank - 1];
  for (const p of [gamma, beta])
    if (p.rank !== 1 || p.shape[0] !== d) throw shapeError('layerNorm', `gamma and beta must be [${d}] (x's last axis)`, x.shape, p.shape);
  sameBackendAndDtype('layerNorm', x, gamma, beta);
  return add(mul(batchNormTrain(x, [x.rank - 1], eps).y, gamma), beta);
};
