/**
 * A trained model back from its checkpoint file, in Node: the file is read and handed to
 * model-from-bytes.ts, which rebuilds the model its metadata describes and loads the tensors
 * checked against it by name, shape and dtype (every mismatch reported).
 */
import * as E from 'fp-ts/lib/Either.js';
import { promises as fs } from 'node:fs';
import type { Backend } from '../../lib/backend/backend.js';
import { loadTrainedModelFromBytes, type LoadedModel } from './model-from-bytes.js';

export type { LoadedModel } from './model-from-bytes.js';

export const loadTrainedModel = async (file: string, backend: Backend): Promise<E.Either<string, LoadedModel>> => {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(file));
  } catch (err) {
    return E.left(`cannot read checkpoint ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return loadTrainedModelFromBytes(bytes, backend, file);
};
