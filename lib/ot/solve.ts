/** One entry point over both solver forms: `sinkhorn(problem, { mode: 'log' | 'scaling', ... })`. */
import type * as E from 'fp-ts/lib/Either.js';
import type { OtError } from './errors.js';
import type { SinkhornOptions } from './options.js';
import type { SinkhornMode, SinkhornOutput } from './output.js';
import type { OtProblem } from './problem.js';
import { sinkhornLog } from './sinkhorn-log.js';
import { sinkhornScaling } from './sinkhorn-scaling.js';

export interface SolveOptions extends SinkhornOptions {
  /** 'scaling' (default: Alg. 1 as the paper and the release run it) or 'log' (stabilised). */
  readonly mode?: SinkhornMode;
}

export const sinkhorn = (p: OtProblem, o: SolveOptions = {}): E.Either<OtError, SinkhornOutput> =>
  o.mode === 'log' ? sinkhornLog(p, o) : sinkhornScaling(p, o);
