/** What `elim eval` and `elim predict` both start with: the backend, then the trained model from --checkpoint. */
import * as E from 'fp-ts/lib/Either.js';
import type { Backend } from '../../lib/backend/backend.js';
import type { ParsedOptions } from './args.js';
import { installBackend } from './backend-choice.js';
import { createEventSink } from './events.js';
import { loadTrainedModel, type LoadedModel } from '../train/load-model.js';

export const openCheckpoint = async (
  command: string,
  o: ParsedOptions,
): Promise<E.Either<{ code: number; message: string }, { backend: Backend; model: LoadedModel }>> => {
  if (typeof o.checkpoint !== 'string') return E.left({ code: 2, message: `elim ${command}: --checkpoint is required` });
  let backend: Backend;
  try {
    backend = await installBackend(o.backend as 'auto' | 'cpu' | 'gpujs', createEventSink({ quiet: true }));
  } catch (err) {
    return E.left({ code: 1, message: `error: ${(err as Error).message}` });
  }
  const loaded = await loadTrainedModel(o.checkpoint, backend);
  return E.isLeft(loaded) ? E.left({ code: 1, message: `error: ${loaded.left}` }) : E.right({ backend, model: loaded.right });
};
