/**
 * A trained model back from its checkpoint: the checkpoint's metadata says which model wrote it
 * (model spec and ELIM config), the model is rebuilt, and the tensors are loaded and checked
 * against it by name, shape and dtype (every mismatch reported).
 */
import * as E from 'fp-ts/lib/Either.js';
import { promises as fs } from 'node:fs';
import type { Backend } from '../../lib/backend/backend.js';
import { decodeCheckpoint, templateOf } from '../../lib/checkpoint/checkpoint.js';
import { describeCheckpointError } from '../../lib/checkpoint/errors.js';
import { decodeSafetensors } from '../../lib/checkpoint/safetensors.js';
import { disposeTree } from '../../lib/nn/tree.js';
import { Rng } from '../../lib/rng/rng.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { ElimConfig } from '../config.js';
import { phasesFor, type Method } from './elim-objective.js';
import { adversaryModule } from './adversarial-objective.js';
import type { Module } from '../../lib/nn/module.js';
import { buildModel, initModel, type Model, type ModelSpec, type ModelTensors } from './model.js';

export interface LoadedModel extends ModelTensors {
  readonly model: Model;
  readonly step: number;
  readonly method: Method;
  readonly seed: number;
  /** The run's ELIM config (its transport settings serve test-time identity matching). */
  readonly elim: ElimConfig;
}

export const loadTrainedModel = async (file: string, backend: Backend): Promise<E.Either<string, LoadedModel>> => {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (err) {
    return E.left(`cannot read checkpoint ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const header = decodeSafetensors(bytes);
  if (E.isLeft(header)) return E.left(`${file}: ${describeCheckpointError(header.left)}`);
  const meta = header.right.metadata;
  let spec: ModelSpec;
  let config: { method: Method; elim: ElimConfig; settings?: { adversary?: { hidden: number } }; adversaryClasses?: number };
  try {
    spec = JSON.parse(meta['user.modelSpec'] ?? 'null') as ModelSpec;
    config = JSON.parse(meta['user.config'] ?? 'null') as typeof config;
    if (!spec || !config) throw new Error('missing');
  } catch {
    return E.left(`${file} is not an elim-ts training checkpoint (its metadata lacks the model description)`);
  }
  // the adversarial method's identity classifier is part of the checkpoint (its size is in the metadata)
  const extras: Array<readonly [string, Module]> =
    config.method === 'adversarial'
      ? [['adversary', adversaryModule(spec.latent, config.settings?.adversary?.hidden ?? 64, config.adversaryClasses ?? 1)]]
      : phasesFor(config.method, config.elim, backend, spec.latent, 0).extras;
  const model = buildModel(spec, extras);
  const fresh = initModel(model, Rng.fromSeed(0));
  const template = templateOf(fresh.params, fresh.state);
  disposeTree(fresh.params);
  disposeTree(fresh.state);
  const decoded = decodeCheckpoint(bytes, template, { backend });
  if (E.isLeft(decoded)) return E.left(`${file}: ${describeCheckpointError(decoded.left)}`);
  return E.right({
    model,
    params: new Map(decoded.right.params),
    state: new Map(decoded.right.state),
    step: decoded.right.step,
    method: config.method,
    elim: config.elim,
    seed: Number(meta['user.seed'] ?? 0),
  });
};
