/** Checks shared by ops: same backend, same dtype. */
import { EngineError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

export const sameBackendAndDtype = (op: string, ...ts: Tensor[]): void => {
  const [first, ...rest] = ts;
  for (const t of rest) {
    if (t.backend !== first.backend)
      throw new EngineError('BackendError', op, `inputs live on different backends ('${first.backend.name}' and '${t.backend.name}')`);
    if (t.dtype !== first.dtype) throw new EngineError('DTypeError', op, `inputs have different dtypes (${first.dtype} and ${t.dtype})`);
  }
};
