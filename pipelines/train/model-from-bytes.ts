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
import type { ElimConfig } from '../config.js';
import { fetchBytes, type FetchBytesOptions } from '../io/fetch-bytes.js';
import { phasesFor, type Method } from './elim-objective.js';
import { buildModel, initModel, type Model, type ModelSpec, type ModelTensors } from './model.js';

export interface LoadedModel extends ModelTensors {
  readonly model: Model;
  readonly step: number;
  readonly method: Method;
  readonly seed: number;
}

/** `name` only labels the messages (a file name or URL). */
export const loadTrainedModelFromBytes = (bytes: Uint8Array, backend: Backend, name = 'checkpoint'): E.Either<string, LoadedModel> => {
  const header = decodeSafetensors(bytes);
  if (E.isLeft(header)) return E.left(`${name}: ${describeCheckpointError(header.left)}`);
  const meta = header.right.metadata;
  let spec: ModelSpec;
  let config: { method: Method; elim: ElimConfig };
  try {
    spec = JSON.parse(meta['user.modelSpec'] ?? 'null') as ModelSpec;
    config = JSON.parse(meta['user.config'] ?? 'null') as { method: Method; elim: ElimConfig };
    if (!spec || !config) throw new Error('missing');
  } catch {
    return E.left(`${name} is not an elim-ts training checkpoint (its metadata lacks the model description)`);
  }
  const extras = phasesFor(config.method, config.elim, backend, spec.latent, 0).extras;
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
    seed: Number(meta['user.seed'] ?? 0),
  });
};

/** The same from a URL (fetch; `onProgress` sees the bytes as they arrive). */
export const loadTrainedModelFromUrl = async (url: string, backend: Backend, o: FetchBytesOptions = {}): Promise<E.Either<string, LoadedModel>> => {
  const bytes = await fetchBytes(url, o);
  return E.isLeft(bytes) ? bytes : loadTrainedModelFromBytes(bytes.right, backend, url);
};
