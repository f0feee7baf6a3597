/** Inverted dropout: in training, zero each element with probability p and scale survivors by 1/(1-p). */
import { EngineError } from '../errors.js';
import { arrayFor } from '../tensor/dtype.js';
import type { Rng } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './create.js';
import { mul } from './elementwise.js';
import { reshape } from './shape-ops.js';

/** The mask comes from `rng` (one uniform per element), so a seeded run is reproducible. Off in eval: a view of x. */
export const dropout = (x: Tensor, p: number, rng: Rng, training: boolean): Tensor => {
  if (!(p >= 0 && p < 1)) throw new EngineError('ArgumentError', 'dropout', `p must be in [0, 1), got ${p}`);
  if (!training || p === 0) return reshape(x, x.shape);
  const keep = 1 / (1 - p);
  const m = arrayFor(x.dtype, x.size);
  for (let i = 0; i < m.length; i++) m[i] = rng.uniform() >= p ? keep : 0;
  return mul(x, tensor(m, x.shape, { dtype: x.dtype, backend: x.backend }));
};
