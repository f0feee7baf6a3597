/**
 * BatchNorm1d ([N, C]) and BatchNorm2d ([N, C, H, W]) with PyTorch's semantics:
 * - training: normalise by the batch mean and biased variance; running stats updated as
 *   r <- (1 - momentum) r + momentum * stat, with the *unbiased* variance (n / (n - 1));
 * - training with ctx.updateStats === false: batch statistics, running stats returned untouched
 *   (ELIM's projector call on ID-normalised features must not shift them);
 * - eval: normalise by the running statistics.
 * Params `weight` (gamma), `bias` (beta); state `running_mean`, `running_var` (torchvision's
 * names; its `num_batches_tracked` counter is not kept: with a fixed momentum it is unused).
 */
import { EngineError, shapeError } from '../errors.js';
import { noGrad } from '../autograd/tape.js';
import * as T from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { constant } from './init.js';
import type { EvalAffine, Module } from './module.js';
import type { ParamTree, StateTree } from './tree.js';

export interface BatchNormOptions {
  readonly eps?: number;
  readonly momentum?: number;
  /** Learnable gamma/beta (PyTorch's affine). */
  readonly affine?: boolean;
}

const channelShape = (rank: number, c: number) => (rank === 2 ? [1, c] : [1, c, 1, 1]);

export const batchNorm = (rank: 2 | 4, channels: number, o: BatchNormOptions = {}): Module => {
  const eps = o.eps ?? 1e-5;
  const momentum = o.momentum ?? 0.1;
  const affine = o.affine ?? true;
  const axes = rank === 2 ? [0] : [0, 2, 3];
  const kind = `BatchNorm${rank === 2 ? '1d' : '2d'}(${channels})`;
  // eval mode as y = x * scale + shift: scale = gamma / sqrt(var + eps), shift = beta - mean * scale
  const evalAffine = (p: ParamTree, state: StateTree): EvalAffine => {
    const inv = T.div(1, T.sqrt(T.add(state.get('running_var')!, eps)));
    const scale = affine ? T.mul(p.get('weight')!, inv) : inv;
    const shift = T.sub(affine ? p.get('bias')! : T.zerosLike(scale), T.mul(state.get('running_mean')!, scale));
    return { scale, shift };
  };
  return {
    kind,
    ...(rank === 4 ? { evalAffine } : {}),
    params: affine
      ? [
          { name: 'weight', shape: [channels], init: constant(1) },
          { name: 'bias', shape: [channels], init: constant(0) },
        ]
      : [],
    state: [
      { name: 'running_mean', shape: [channels], init: constant(0) },
      { name: 'running_var', shape: [channels], init: constant(1) },
    ],
    apply: (p, state, x, ctx) => {
      if (x.rank !== rank || x.shape[1] !== channels) throw shapeError(kind, `expects [N, ${channels}${rank === 4 ? ', H, W' : ''}]`, x.shape);
      const cs = channelShape(rank, channels);
      const rm = state.get('running_mean')!;
      const rv = state.get('running_var')!;
      let mean: Tensor;
      let variance: Tensor;
      let next: StateTree = state;
      if (ctx.training) {
        const n = axes.reduce((a, ax) => a * x.shape[ax], 1);
        if (n < 2) throw new EngineError('ArgumentError', kind, `training needs more than one value per channel, got input ${JSON.stringify(x.shape)}`);
        mean = T.mean(x, axes, true);
        variance = T.variance(x, axes, true);
        if (ctx.updateStats ?? true) {
          next = noGrad(() => {
            const m = T.reshape(mean, [channels]);
            const v = T.mul(T.reshape(variance, [channels]), n / (n - 1));
            return new Map([
              ['running_mean', T.add(T.mul(rm, 1 - momentum), T.mul(m, momentum))],
              ['running_var', T.add(T.mul(rv, 1 - momentum), T.mul(v, momentum))],
            ]);
          });
        }
      } else {
        mean = T.reshape(rm, cs);
        variance = T.reshape(rv, cs);
      }
      const xhat = T.div(T.sub(x, mean), T.sqrt(T.add(variance, eps)));
      const y = affine ? T.add(T.mul(xhat, T.reshape(p.get('weight')!, cs)), T.reshape(p.get('bias')!, cs)) : xhat;
      return { y, state: next };
    },
  };
};

export const batchNorm1d = (channels: number, o?: BatchNormOptions) => batchNorm(2, channels, o);
export const batchNorm2d = (channels: number, o?: BatchNormOptions) => batchNorm(4, channels, o);
