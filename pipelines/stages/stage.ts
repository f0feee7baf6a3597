/**
 * The stage type.
 *
 * A stage is `(input) => ReaderTaskEither<Env, ElimError, Output>`: it reads its Env
 * (config, backend, random stream, logger), may fail with a typed ElimError, and is an
 * effect the caller runs when it chooses. That is the public, composable form (`Stage`).
 *
 * Why a synchronous core under it: autodiff here records on a tape inside `scope(...)`
 * (lib/tensor/scope.ts), a synchronous stack. An `await` between a forward pass and its
 * backward pass would let other work push scopes in between, and `valueAndGrad(params, f)`
 * takes a synchronous `f`. So every stage is written as a `SyncStage` returning
 * `ReaderEither<Env, ElimError, Output>` — the same Reader and Either, no Task — and the RTE
 * stage is that core lifted with `RTE.fromReaderEither`. Compositions (elimStep) chain cores,
 * so the trainer can run a whole step inside `valueAndGrad`, and async callers (CLI, data
 * streams) use the lifted form. Nothing is lost: `ReaderEither` embeds into
 * `ReaderTaskEither` losslessly, and both compose with the same `chain`/`map` vocabulary.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as RE from 'fp-ts/lib/ReaderEither.js';
import * as RTE from 'fp-ts/lib/ReaderTaskEither.js';
import type { Env } from '../env.js';
import { tryStage, type ElimError, type StageName } from '../errors.js';

export type SyncStage<I, O> = (input: I) => RE.ReaderEither<Env, ElimError, O>;
export type Stage<I, O> = (input: I) => RTE.ReaderTaskEither<Env, ElimError, O>;

/** The effectful stage from its synchronous core. */
export const lift =
  <I, O>(core: SyncStage<I, O>): Stage<I, O> =>
  (input) =>
    RTE.fromReaderEither(core(input));

/** A core whose body is engine math: an EngineError thrown inside becomes a Left for `stage`. */
export const engineStage =
  <I, O>(stage: StageName, body: (input: I, env: Env) => O): SyncStage<I, O> =>
  (input) =>
  (env) =>
    tryStage(stage, () => body(input, env));

/** Runs a synchronous core now (inside valueAndGrad, or a test). */
export const runSync = <O>(r: RE.ReaderEither<Env, ElimError, O>, env: Env): E.Either<ElimError, O> => r(env);
