/**
 * A tiny identity-biased VA problem for tests and examples: `ids` identities, each with a
 * random appearance offset in input space and its own narrow band of emotions (the shortcut
 * ELIM is meant to remove); inputs x = A y + offset(id) + noise. An MLP encoder (Linear ->
 * ReLU -> Linear) gives z, and lib/nn's projector f_theta maps z to (valence, arousal).
 */
import * as T from '../../../lib/ops/index.js';
import { Rng } from '../../../lib/rng/rng.js';
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { linear } from '../../../lib/nn/linear.js';
import { relu } from '../../../lib/nn/activations.js';
import { projector } from '../../../lib/nn/heads.js';
import { initModule, sequential, type Module } from '../../../lib/nn/module.js';
import type { ParamTree, StateTree } from '../../../lib/nn/tree.js';
import type { DType } from '../../../lib/tensor/dtype.js';

export interface ToyOptions {
  readonly ids?: number;
  readonly perId?: number;
  readonly inputDim?: number;
  readonly latent?: number;
  readonly seed?: number;
  readonly dtype?: DType;
}

export interface ToyBatch {
  readonly x: Tensor;
  readonly labels: Tensor;
  readonly keys: readonly number[];
}

export interface ToyProblem {
  readonly latent: number;
  /** A fresh batch: perId samples of each identity, rows grouped by identity. */
  readonly batch: (rng: Rng) => ToyBatch;
  readonly encoder: Module;
  readonly projector: Module;
  readonly init: (rng: Rng) => {
    encoder: { params: Map<string, Tensor>; state: Map<string, Tensor> };
    projector: { params: Map<string, Tensor>; state: StateTree };
  };
}

export const toyProblem = (o: ToyOptions = {}): ToyProblem => {
  const ids = o.ids ?? 6;
  const perId = o.perId ?? 6;
  const inDim = o.inputDim ?? 8;
  const latent = o.latent ?? 8;
  const dtype = o.dtype ?? 'float32';
  const r = Rng.fromSeed(o.seed ?? 1);
  const mix = Array.from({ length: inDim * 2 }, () => r.normal());
  const offsets = Array.from({ length: ids }, () => Array.from({ length: inDim }, () => 1.5 * r.normal()));
  const centres = Array.from({ length: ids }, () => [r.uniform() * 1.2 - 0.6, r.uniform() * 1.2 - 0.6]);
  const encoder = sequential([linear(inDim, 16), relu(), linear(16, latent)]);
  return {
    latent,
    encoder,
    projector: projector(latent),
    init: (rng) => ({ encoder: initModule(encoder, rng.fork(), { dtype }), projector: initModule(projector(latent), rng.fork(), { dtype }) }),
    batch: (rng) => {
      const xs: number[] = [];
      const ys: number[] = [];
      const keys: number[] = [];
      for (let id = 0; id < ids; id++) {
        for (let s = 0; s < perId; s++) {
          const y = centres[id].map((c) => Math.max(-1, Math.min(1, c + 0.35 * rng.normal())));
          for (let k = 0; k < inDim; k++) xs.push(mix[2 * k] * y[0] + mix[2 * k + 1] * y[1] + offsets[id][k] + 0.1 * rng.normal());
          ys.push(...y);
          keys.push(id);
        }
      }
      const n = ids * perId;
      return { x: T.tensor(xs, [n, inDim], { dtype }), labels: T.tensor(ys, [n, 2], { dtype }), keys };
    },
  };
};

export const encode = (m: Module, params: ParamTree, state: StateTree, x: Tensor): Tensor => m.apply(params, state, x, { training: true }).y;
