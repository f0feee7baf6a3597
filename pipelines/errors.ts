/**
 * ElimError: everything a pipeline stage can fail with, as a tagged union (fp-ts style: the
 * `_tag` discriminates, `stage` names where it happened). Engine failures (shape, dtype,
 * NaN, backend) are thrown inside the numerical core as `EngineError` and wrapped here by
 * `fromEngine` / `tryStage`, so a stage never throws on purpose.
 *
 * Note what is *not* an error: a batch whose ELIM term cannot be formed (one identity, all
 * singletons dropped) is a normal `Skipped` outcome of the group stage, because a training
 * loop must keep going and count it, not stop.
 */
import * as E from 'fp-ts/lib/Either.js';
import { EngineError, tryEngine } from '../lib/errors.js';
import type { OtError } from '../lib/ot/errors.js';

export type StageName =
  'validate' | 'group' | 'sample' | 'transport' | 'normalize' | 'project' | 'loss' | 'attention' | 'elimStep' | 'baselineStep' | 'adversary' | 'config';

export type ElimError =
  /** The engine threw (shape mismatch, dtype, backend, disposed tensor, ...). */
  | { readonly _tag: 'EngineFailure'; readonly stage: StageName; readonly error: EngineError }
  /** lib/ot rejected a problem or its plan diverged (e.g. the scaling form under a large lambda: use solver 'log'). */
  | { readonly _tag: 'TransportFailure'; readonly stage: StageName; readonly error: OtError }
  /** Inputs that do not fit together: label/feature/key counts, wrong ranks. */
  | { readonly _tag: 'InputMismatch'; readonly stage: StageName; readonly message: string }
  /** NaN or Inf where finite values are required; `index` is the first bad sample (row). */
  | { readonly _tag: 'NonFinite'; readonly stage: StageName; readonly what: 'features' | 'labels'; readonly index: number; readonly count: number }
  /** A configuration value out of its domain (k < 1, tau <= 0, ...). */
  | { readonly _tag: 'InvalidConfig'; readonly stage: StageName; readonly field: string; readonly message: string };

export type ElimErrorTag = ElimError['_tag'];

export const engineFailure = (stage: StageName, error: EngineError): ElimError => ({ _tag: 'EngineFailure', stage, error });
export const transportFailure = (stage: StageName, error: OtError): ElimError => ({ _tag: 'TransportFailure', stage, error });
export const inputMismatch = (stage: StageName, message: string): ElimError => ({ _tag: 'InputMismatch', stage, message });
export const nonFinite = (stage: StageName, what: 'features' | 'labels', index: number, count: number): ElimError => ({
  _tag: 'NonFinite',
  stage,
  what,
  index,
  count,
});
export const invalidConfig = (stage: StageName, field: string, message: string): ElimError => ({ _tag: 'InvalidConfig', stage, field, message });

/** Runs engine code; an EngineError becomes a Left tagged with the stage (anything else is a bug and propagates). */
export const tryStage = <A>(stage: StageName, f: () => A): E.Either<ElimError, A> => E.mapLeft((e: EngineError) => engineFailure(stage, e))(tryEngine(f));

/** One line for logs and the CLI. */
export const formatElimError = (e: ElimError): string => {
  switch (e._tag) {
    case 'EngineFailure':
      return `[${e.stage}] engine ${e.error.tag}: ${e.error.message}`;
    case 'TransportFailure':
      return `[${e.stage}] optimal transport ${e.error._tag}: ${e.error.message}`;
    case 'InputMismatch':
      return `[${e.stage}] input mismatch: ${e.message}`;
    case 'NonFinite':
      return `[${e.stage}] ${e.count} non-finite value(s) in ${e.what}, first in sample ${e.index}`;
    case 'InvalidConfig':
      return `[${e.stage}] invalid config ${e.field}: ${e.message}`;
  }
};
