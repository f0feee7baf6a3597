/**
 * A trained model back from the bytes of its checkpoint (safetensors, as `elim train` writes):
 * the checkpoint's metadata says which model wrote it (model spec and ELIM config), the model is
 * rebuilt, and the tensors are loaded and checked against it by name, shape and dtype (every
 * mismatch reported). No file system here: this is what a browser uses, with the bytes from
 * `fetchBytes` (pipelines/io/fetch-bytes.ts) or a file input; `loadTrainedModel` (load-model.ts)
 * reads a file in Node and comes here.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Backend } from '../../lib/backend/backend.js';
import { decodeCheckpoint, templateOf } from '../../lib/checkpoint/checkpoint.js';
import { describeCheckpointError } from '../../lib/checkpoint/errors.js';
import { decodeSafetensors } from '../../lib/checkpoint/safetensors.js';
import { disposeTree } from '../../lib/nn/tree.js';
import { Rng } from '../../lib/rng/rng.js';
import { makeConfig, validateConfig, type ElimConfig } from '../config.js';
import { formatElimError, invalidConfig } from '../errors.js';
import { checkModelSpec, checkRunShape, formatProblem } from '../limits.js';
import { fetchBytes, type FetchBytesOptions } from '../io/fetch-bytes.js';
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

/** `name` only labels the messages (a file name or URL). */
export const loadTrainedModelFromBytes = (bytes: Uint8Array, backend: Backend, name = 'checkpoint'): E.Either<string, LoadedModel> => {
  const header = decodeSafetensors(bytes);
  if (E.isLeft(header)) return E.left(`${name}: ${describeCheckpointError(header.left)}`);
  const meta = header.right.metadata;
  let rawSpec: unknown;
  type Recorded = { method: Method; elim: ElimConfig; settings?: { adversary?: { hidden: number } } };
  let config: Recorded;
  try {
    rawSpec = JSON.parse(meta['user.modelSpec'] ?? 'null');
    config = JSON.parse(meta['user.config'] ?? 'null') as Recorded;
    if (!rawSpec || !config || typeof config !== 'object') throw new Error('missing');
  } catch {
    return E.left(`${name} is not an elim-ts training checkpoint (its metadata lacks the model description)`);
  }
  // the metadata is checked like command-line options before a model is built from it
  const checked = checkModelSpec(rawSpec);
  if (E.isLeft(checked)) return E.left(`${name}: metadata modelSpec ${formatProblem(checked.left)}`);
  const spec: ModelSpec = checked.right;
  if (config.method !== 'elim' && config.method !== 'baseline' && config.method !== 'adversarial') {
    return E.left(`${name}: metadata config.method must be elim, baseline or adversarial; got ${JSON.stringify(config.method)}`);
  }
  const hidden = config.settings?.adversary?.hidden ?? 64;
  const classes = Number(meta['user.adversaryClasses'] ?? 1);
  if (
    config.method === 'adversarial' &&
    !(Number.isSafeInteger(hidden) && hidden >= 1 && hidden <= 1 << 16 && Number.isSafeInteger(classes) && classes >= 1 && classes <= 1 << 20)
  ) {
    return E.left(`${name}: metadata adversary size (hidden ${hidden}, classes ${classes}) is out of range`);
  }
  const elim = config.elim && typeof config.elim === 'object' ? validateConfig(makeConfig(config.elim)) : E.left(invalidConfig('config', 'elim', 'missing'));
  if (E.isLeft(elim)) return E.left(`${name}: metadata config ${formatElimError(elim.left)}`);
  const shape = checkRunShape({ model: spec, elim: elim.right, batch: { identities: Infinity, perIdentity: Infinity } });
  if (E.isLeft(shape)) return E.left(`${name}: metadata config ${formatProblem(shape.left)}`);
  config = { ...config, elim: elim.right };
  // the adversarial method's identity classifier is part of the checkpoint (its size is in the metadata)
  const extras: Array<readonly [string, Module]> =
    config.method === 'adversarial'
      ? [['adversary', adversaryModule(spec.latent, hidden, classes)]]
      : phasesFor(config.method, config.elim, spec.latent, 0).extras;
  const model = buildModel(spec, extras);
  const fresh = initModel(model, Rng.fromSeed(0));
  const template = templateOf(fresh.params, fresh.state);
  disposeTree(fresh.params);
  disposeTree(fresh.state);
  const decoded = decodeCheckpoint(bytes, template, { backend });
  if (E.isLeft(decoded)) return E.left(`${name}: ${describeCheckpointError(decoded.left)}`);
  return E.right({
    model,
    params: new Map(decoded.right.params),
    state: new Map(decoded.right.state),
    step: decoded.right.step,
    method: config.method,
    elim: config.elim,
    seed: Number.isSafeInteger(Number(meta['user.seed'])) ? Number(meta['user.seed']) : 0,
  });
};

/** The same from a URL (fetch; `onProgress` sees the bytes as they arrive). */
export const loadTrainedModelFromUrl = async (url: string, backend: Backend, o: FetchBytesOptions = {}): Promise<E.Either<string, LoadedModel>> => {
  const bytes = await fetchBytes(url, o);
  return E.isLeft(bytes) ? bytes : loadTrainedModelFromBytes(bytes.right, backend, url);
};
