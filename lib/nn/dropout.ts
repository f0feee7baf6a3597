/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors
 * are scaled by 1/(1-p), so evaluation is the identity. The mask is drawn from ctx.rng
 * (explicit, checkpointable), never from a hidden global.
 */
import { EngineError } from '../errors.js';
import * as T from '../ops/index.js';
import type { Rng } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { stateless, type Module } from './module.js';

export const dropoutForward = (x: Tensor, p: number, rng: Rng | undefined, training: boolean): Tensor => {
  if (!training || p === 0) return x;
  if (!rng) throw new EngineError('ArgumentError', 'Dropout', 'training with dropout needs ctx.rng');
  if (p >= 1) return T.mul(x, 0);
  const u = T.randomUniform(x.shape, rng, 0, 1, { dtype: x.dtype, backend: x.backend });
  const keepMask = T.ge(u, p); // 1/0, carries no gradient
  return T.mul(x, T.mul(keepMask, 1 / (1 - p)));
};

export const dropout = (p: number): Module => {
  if (!(p >= 0 && p <= 1)) throw new EngineError('ArgumentError', 'Dropout', `p must lie in [0, 1], got ${p}`);
  return stateless(`Dropout(${p})`, (x, ctx) => dropoutForward(x, p, ctx.rng, ctx.training));
};
