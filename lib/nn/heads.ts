/**
 * ELIM's heads. The regressor turns backbone features into the latent z:
 * Linear -> ReLU -> Dropout -> Linear -> BatchNorm1d -> ReLU. The projector f_theta (the
 * release's ERM_FC) maps z to (valence, arousal): Linear(d, 20d) -> BatchNorm1d -> ReLU ->
 * Linear(20d, 2); 88,322 parameters at d = 64. For the ELIM branch apply it with
 * `{ training: true, updateStats: false }`: batch statistics, running statistics untouched.
 */
import { relu } from './activations.js';
import { batchNorm1d } from './batch-norm.js';
import { dropout } from './dropout.js';
import { linear } from './linear.js';
import { named, sequential, type Module } from './module.js';
import type { Backbone } from './alexnet.js';

export interface RegressorOptions {
  readonly hidden?: number;
  readonly latent?: number;
  readonly dropout?: number;
}

export const regressor = (inDim: number, o: RegressorOptions = {}): Module => {
  const hidden = o.hidden ?? 256;
  const latent = o.latent ?? 64;
  return sequential([linear(inDim, hidden), relu(), dropout(o.dropout ?? 0.5), linear(hidden, latent), batchNorm1d(latent), relu()]);
};

export interface ProjectorOptions {
  readonly expansion?: number;
  readonly outputs?: number;
}

export const projector = (latent: number, o: ProjectorOptions = {}): Module => {
  const h = latent * (o.expansion ?? 20);
  return sequential([linear(latent, h), batchNorm1d(h), relu(), linear(h, o.outputs ?? 2)]);
};

/** backbone then regressor, names `backbone.*` and `regressor.*`. */
export const encoder = (b: Backbone, o: RegressorOptions = {}): Module =>
  named(
    [
      ['backbone', b.module],
      ['regressor', regressor(b.featureDim, o)],
    ],
    'Encoder',
  );
