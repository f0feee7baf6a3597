/**
 * gradReverse(x, lambda): the identity forward, -lambda times the cotangent backward (the
 * gradient-reversal layer of domain-adversarial training, Ganin & Lempitsky 2015). Placed between
 * an encoder and an adversary (e.g. an identity classifier), the adversary descends its loss
 * while the encoder ascends it: the encoder learns features the adversary cannot read.
 * Gradient rule: lib/autograd/vjp-table.ts ('gradReverse'); its check compares the backward
 * with -lambda times central differences of the forward (lib/ops/grad-reverse.test.ts).
 */
import { record } from '../autograd/tape.js';
import { EngineError } from '../errors.js';
import { Tensor } from '../tensor/tensor.js';
import { full } from './create.js';

export const gradReverse = (x: Tensor, lambda = 1): Tensor => {
  if (!Number.isFinite(lambda) || lambda < 0) throw new EngineError('ArgumentError', 'gradReverse', `lambda must be a finite number >= 0, got ${lambda}`);
  // a copy of x's data (x * 1 on the backend, outside the tape): the output owns its handle
  const one = full([], 1, { dtype: x.dtype, backend: x.backend });
  const out = new Tensor(x.backend, x.backend.binary('mul', x.handle, x.shape, one.handle, one.shape, x.shape), x.shape);
  one.dispose();
  return record(out, 'gradReverse', [x], { lambda });
};
