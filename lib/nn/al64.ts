/**
 * The reference workload "AL64" (benchmarks; tests use the tiny config):
 * 64x64x3 -> conv 3->32 k5 p2, ReLU, maxpool2 -> conv 32->64 k3 p1, ReLU, maxpool2 ->
 * conv 64->128 k3 p1, ReLU -> conv 128->128 k3 p1, ReLU, maxpool2 -> flatten 8192 ->
 * Linear 8192->256, ReLU, Dropout 0.5 -> Linear 256->64, BatchNorm1d, ReLU = z;
 * projector 64 -> 1280 -> 2. Batch 64.
 * `width` scales the conv channels; `inputSize` must be a multiple of 8.
 * Names: encoder `backbone.features.{0,3,6,8}.*`, `regressor.{0,3,4}.*`; projector `{0,1,3}.*`.
 */
import { EngineError } from '../errors.js';
import { flatten, relu } from './activations.js';
import type { Backbone } from './alexnet.js';
import { scaled } from './alexnet.js';
import { conv2d } from './conv2d.js';
import { encoder, projector } from './heads.js';
import { named, sequential, type Module } from './module.js';
import { maxPool2d } from './pooling.js';

export interface Al64Options {
  readonly inputSize?: number;
  readonly inChannels?: number;
  readonly width?: number;
  readonly hidden?: number;
  readonly latent?: number;
  readonly dropout?: number;
  readonly batch?: number;
}

export interface Al64 {
  readonly backbone: Backbone;
  readonly encoder: Module;
  readonly projector: Module;
  readonly latentDim: number;
  /** [batch, C, H, W] the workload is defined for. */
  readonly inputShape: readonly [number, number, number, number];
}

export const AL64_FULL: Al64Options = { inputSize: 64, width: 1, hidden: 256, latent: 64, dropout: 0.5, batch: 64 };
/** Small enough for CPU tests and the CPU main job. */
export const AL64_TINY: Al64Options = { inputSize: 16, width: 0.25, hidden: 32, latent: 16, dropout: 0.5, batch: 16 };

export const al64Backbone = (o: Al64Options = {}): Backbone => {
  const size = o.inputSize ?? 64;
  if (size % 8 !== 0 || size < 8) throw new EngineError('ArgumentError', 'createAl64', `input size must be a positive multiple of 8, got ${size}`);
  const inC = o.inChannels ?? 3;
  const [c1, c2, c3, c4] = [32, 64, 128, 128].map((c) => scaled(c, o.width ?? 1));
  const pool = () => maxPool2d({ kernel: 2 });
  const features = sequential([
    conv2d(inC, c1, 5, { padding: 2 }),
    relu(),
    pool(),
    conv2d(c1, c2, 3, { padding: 1 }),
    relu(),
    pool(),
    conv2d(c2, c3, 3, { padding: 1 }),
    relu(),
    conv2d(c3, c4, 3, { padding: 1 }),
    relu(),
    pool(),
  ]);
  return {
    module: named(
      [
        ['features', features],
        ['flatten', flatten()],
      ],
      'AL64Features',
    ),
    featureDim: c4 * (size / 8) ** 2,
    inputShape: [inC, size, size],
  };
};

export const createAl64 = (opts: Al64Options = {}): Al64 => {
  const o = { ...AL64_FULL, ...opts };
  const backbone = al64Backbone(o);
  const latent = o.latent ?? 64;
  return {
    backbone,
    encoder: encoder(backbone, { hidden: o.hidden, latent, dropout: o.dropout }),
    projector: projector(latent),
    latentDim: latent,
    inputShape: [o.batch ?? 64, ...backbone.inputShape],
  };
};
