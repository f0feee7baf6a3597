/**
 * The stage type.
 *
 * A stage is `(input) => ReaderEither<Env, ElimError, Output>`: it reads its Env (config, random
 * key, logger), may fail with a typed ElimError, and runs when the caller applies it to an Env.
 * Compositions (elimStep, baselineStep) chain stages with fp-ts's ReaderEither `flatMap`/`bind`.
 *
 * Why synchronous (no Task): autodiff here records on a tape inside `scope(...)`
 * (lib/tensor/scope.ts), a synchronous stack. An `await` between a forward pass and its backward
 * pass would let other work push scopes in between, and `valueAndGrad(params, f)` takes a
 * synchronous `f`: the trainer runs a whole step inside it (elim.ts `withGrad`). An async caller
 * that wants a ReaderTaskEither lifts a stage itself with `RTE.fromReaderEither`; the library
 * does not keep a second copy of every stage for it.
 */
import type * as RE from 'fp-ts/lib/ReaderEither.js';
import type { Env } from '../env.js';
import { tryStage, type ElimError, type StageName } from '../errors.js';

export type Stage<I, O> = (input: I) => RE.ReaderEither<Env, ElimError, O>;

/** A stage whose body is engine math: an EngineError thrown inside becomes a Left for `stage`. */
export const engineStage =
  <I, O>(stage: StageName, body: (input: I, env: Env) => O): Stage<I, O> =>
  (input) =>
  (env) =>
    tryStage(stage, () => body(input, env));
