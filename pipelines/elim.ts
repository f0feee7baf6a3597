/**
 * elimStep: one training iteration's loss as a composition of the stages
 *   validate -> project(batch) -> [group -> sample -> transport|attention -> normalize ->
 *   project(ELIM)] -> loss
 * returning the loss tensor, every term, the ELIM outcome (Grouped / Skipped / Disabled), the
 * projector's new state and a transport summary.
 *
 * A synchronous stage (a ReaderEither, stages/stage.ts) so it can run inside `valueAndGrad`
 * (`withGrad` below does that and keeps errors as values). A step forks its random streams from
 * `env.rngKey` without advancing anything: the same Env and inputs give bit-identical outputs,
 * and a loop gives each iteration its own key (env.ts `withRng`).
 *
 * Two-step mode (config steps 'two-step', the release): `elimStep` computes only the baseline
 * objective (outcome Disabled 'two-step'); after its optimiser step the trainer runs
 * `elimOnlyStep` — a fresh forward whose loss is L_main alone — and a second optimiser step
 * (the release clips the encoder's gradient norm to 1 there: lib/optim clipGradNorm).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as RE from 'fp-ts/lib/ReaderEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { valueAndGradTree } from '../lib/optim/grads.js';
import type { ParamTree } from '../lib/nn/tree.js';
import type { Tensor } from '../lib/tensor/tensor.js';
import { warmupFactor } from './config.js';
import { forkStreams, type Env } from './env.js';
import type { ElimError } from './errors.js';
import { batchPart, type BatchPart, type DisabledReason, type StepInput, type StepOutput } from './baseline.js';
import { elimBranch, type BranchOutput } from './stages/branch.js';
import { loss } from './stages/loss.js';
import type { Stage } from './stages/stage.js';
import { validate } from './stages/validate.js';

export type { StepInput, StepOutput, StepModels, ElimOutcome } from './baseline.js';

/** Why the ELIM branch does not run this step, or null if it does. */
export const disabledReason = (env: Env, iteration: number, firstOfTwo: boolean): DisabledReason | null =>
  !env.config.elim
    ? 'elim-off'
    : firstOfTwo && env.config.steps === 'two-step'
      ? 'two-step'
      : warmupFactor(env.config.warmup, iteration) * env.config.loss.mainScale === 0
        ? 'warmup'
        : null;

/** The ELIM branch's output, or why it did not run this step. */
type Branch = BranchOutput | { outcome: { _tag: 'Disabled'; reason: DisabledReason }; state: BatchPart['state'] };

const branchFor =
  (input: StepInput, b: BatchPart, firstOfTwo: boolean): RE.ReaderEither<Env, ElimError, Branch> =>
  (env) => {
    const reason = disabledReason(env, input.iteration, firstOfTwo);
    if (reason) return E.right({ outcome: { _tag: 'Disabled', reason }, state: b.state });
    return elimBranch({
      data: input,
      checked: b.checked,
      projector: { ...input.models.projector, state: b.state },
      attention: input.models.attention,
      streams: b.streams,
    })(env);
  };

/**
 * One debug line per step (outcome, number of transport problems), a warning when a pair fell
 * back to uniform weights. Nothing is read back for it (the solver's stats stay on the backend).
 */
const logStep = (env: Env, out: StepOutput): StepOutput => {
  env.logger.log('debug', 'elim step', { outcome: out.outcome, problems: out.transport?.problems });
  if (out.transport?.uniformFallbacks)
    env.logger.log('warn', 'relevance weights had zero mass: uniform weights used', { pairs: out.transport.uniformFallbacks });
  return out;
};

/** A step's output from its ELIM branch (or the reason it did not run) and its loss. */
const stepOutput = (branch: Branch, l: { loss: Tensor; terms: StepOutput['terms'] }): StepOutput => ({
  loss: l.loss,
  terms: l.terms,
  outcome: branch.outcome,
  state: branch.state,
  transport: 'transport' in branch ? branch.transport : undefined,
});

export const elimStep: Stage<StepInput, StepOutput> = (input) =>
  pipe(
    batchPart(input),
    RE.bindTo('b'),
    RE.bind('branch', ({ b }) => branchFor(input, b, true)),
    RE.bind('warmup', () => RE.asks((env: Env) => warmupFactor(env.config.warmup, input.iteration))),
    RE.bind('total', ({ b, branch, warmup }) =>
      loss({ batch: { y: b.y, labels: input.labels }, elim: 'predictions' in branch ? branch.predictions : undefined, warmup }),
    ),
    RE.map(({ branch, total }) => stepOutput(branch, total)),
    RE.flatMap((out) => RE.asks((env: Env) => logStep(env, out))),
  );

/** The two-step mode's second step: L_main alone (0 when Skipped/Disabled: the trainer may skip its update). */
export const elimOnlyStep: Stage<StepInput, StepOutput> = (input) =>
  pipe(
    RE.asks((env: Env) => forkStreams(env)),
    RE.bindTo('streams'),
    RE.bind('checked', () => validate(input)),
    RE.bind('branch', ({ streams, checked }) => branchFor(input, { streams, checked, y: input.z, state: input.models.projector.state }, false)),
    RE.bind('warmup', () => RE.asks((env: Env) => warmupFactor(env.config.warmup, input.iteration))),
    RE.bind('total', ({ branch, warmup }) => loss({ elim: 'predictions' in branch ? branch.predictions : undefined, warmup, like: input.z })),
    RE.map(({ branch, total }) => stepOutput(branch, total)),
    RE.flatMap((out) => RE.asks((env: Env) => logStep(env, out))),
  );

class StepFailed {
  constructor(readonly error: ElimError) {}
}

/**
 * Runs `body` (the encoder forward plus a step core) inside `valueAndGrad` over `params`:
 * Right with the step output and gradients keyed like `params`, or the step's Left (the
 * scope is unwound and its tensors released either way).
 */
export const withGrad = <A extends { loss: Tensor }>(
  params: ParamTree,
  body: () => E.Either<ElimError, A>,
): E.Either<ElimError, { out: A; grads: Map<string, Tensor> }> => {
  try {
    return E.right(
      valueAndGradTree(params, () => {
        const r = body();
        if (E.isLeft(r)) throw new StepFailed(r.left);
        return r.right;
      }),
    );
  } catch (err) {
    if (err instanceof StepFailed) return E.left(err.error);
    throw err;
  }
};
