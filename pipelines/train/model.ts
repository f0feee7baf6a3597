/**
 * The trainable model of a run: encoder (backbone + regressor to the latent z) and projector
 * f_theta, built from a small serialisable description so that a checkpoint's metadata can
 * rebuild exactly the model that wrote it.
 */
import { createAl64 } from '../../lib/nn/al64.js';
import { alexnetFeatures } from '../../lib/nn/alexnet.js';
import { encoder, projector } from '../../lib/nn/heads.js';
import { mlpMixer } from '../../lib/nn/mixer.js';
import { resnet18 } from '../../lib/nn/resnet.js';
import { countParams, initModule, type Module } from '../../lib/nn/module.js';
import type { Backbone } from '../../lib/nn/alexnet.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { Tensor } from '../../lib/tensor/tensor.js';

export type BackboneName = 'al64' | 'alexnet' | 'resnet18' | 'mixer';

export interface ModelSpec {
  readonly backbone: BackboneName;
  /** Input side in pixels (square RGB images). */
  readonly inputSize: number;
  /** Channel multiplier of the backbone (1 = the paper's widths). */
  readonly width: number;
  /** Regressor hidden units. */
  readonly hidden: number;
  /** Latent size d of z (the projector is d -> 20d -> 2). */
  readonly latent: number;
  readonly dropout: number;
  /** MLP-Mixer only. */
  readonly mixer?: { readonly patch: number; readonly dim: number; readonly depth: number };
}

export interface Model {
  readonly spec: ModelSpec;
  readonly encoder: Module;
  readonly projector: Module;
  /** Further trainable modules an objective needs (e.g. ELIM-Attention's matcher), by name. */
  readonly extras: ReadonlyArray<readonly [string, Module]>;
}

const backboneOf = (s: ModelSpec): Backbone => {
  switch (s.backbone) {
    case 'alexnet':
      return alexnetFeatures({ inputSize: s.inputSize, width: s.width });
    case 'resnet18': {
      // resnet18's `width` is the stem's channel count (64 in the paper)
      return resnet18({ inputSize: s.inputSize, width: Math.max(1, Math.round(64 * s.width)), numClasses: 0 });
    }
    case 'mixer': {
      const m = s.mixer ?? { patch: 8, dim: 64, depth: 2 };
      return mlpMixer({
        imageSize: s.inputSize,
        patch: m.patch,
        dim: m.dim,
        depth: m.depth,
        tokensHidden: m.dim / 2,
        channelsHidden: m.dim * 4,
        numClasses: 0,
      });
    }
    case 'al64':
      return createAl64({ inputSize: s.inputSize, width: s.width, hidden: s.hidden, latent: s.latent, dropout: s.dropout }).backbone;
  }
};

export const buildModel = (spec: ModelSpec, extras: ReadonlyArray<readonly [string, Module]> = []): Model => {
  const backbone = backboneOf(spec);
  return {
    spec,
    encoder: encoder(backbone, { hidden: spec.hidden, latent: spec.latent, dropout: spec.dropout }),
    projector: projector(spec.latent),
    extras,
  };
};

export interface ModelTensors {
  readonly params: Map<string, Tensor>;
  readonly state: Map<string, Tensor>;
}

/** A model with its tensors: what training returns, a checkpoint loads and evaluation reads. */
export interface TrainedModel {
  readonly model: Model;
  readonly params: ReadonlyMap<string, Tensor>;
  readonly state: ReadonlyMap<string, Tensor>;
}

/** Encoder entries under `encoder.`, projector entries under `projector.` (one tree for one optimiser). */
export const initModel = (m: Model, rng: Rng): ModelTensors => {
  const enc = initModule(m.encoder, rng.fork());
  const proj = initModule(m.projector, rng.fork());
  const prefix = (p: string, t: Map<string, Tensor>) => new Map([...t].map(([k, v]) => [`${p}.${k}`, v] as const));
  // extras draw from their own fork, after the encoder's and projector's: adding one never changes those
  const extra = m.extras.map(([name, mod]) => [name, initModule(mod, rng.fork())] as const);
  return {
    params: new Map([...prefix('encoder', enc.params), ...prefix('projector', proj.params), ...extra.flatMap(([n, t]) => [...prefix(n, t.params)])]),
    state: new Map([...prefix('encoder', enc.state), ...prefix('projector', proj.state), ...extra.flatMap(([n, t]) => [...prefix(n, t.state)])]),
  };
};

/**
 * The state tree after a training step: the encoder's and projector's new state under their
 * prefixes, other entries (extras) passed through; every old tensor not carried over is disposed.
 */
export const nextModelState = (
  old: ReadonlyMap<string, Tensor>,
  encState: ReadonlyMap<string, Tensor>,
  projState: ReadonlyMap<string, Tensor>,
): Map<string, Tensor> => {
  const next = new Map<string, Tensor>();
  for (const [k, v] of encState) next.set(`encoder.${k}`, v);
  for (const [k, v] of projState) next.set(`projector.${k}`, v);
  for (const [k, v] of old) if (!next.has(k)) next.set(k, v);
  for (const [k, v] of old) if (next.get(k) !== v) v.dispose();
  return next;
};

export const parameterCount = (m: Model) => ({ encoder: countParams(m.encoder), projector: countParams(m.projector) });
