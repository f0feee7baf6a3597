/** The synchronous stage result type the trainer runs (a ReaderEither over the pipeline Env). */
import type * as RE_ from 'fp-ts/lib/ReaderEither.js';
import type { Env } from '../env.js';
import type { ElimError } from '../errors.js';

export type RE<A> = RE_.ReaderEither<Env, ElimError, A>;
