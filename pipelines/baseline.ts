/**
 * baselineStep: the same model without the ELIM term — validate -> project (whole batch) ->
 * loss (L_va + 0.5 (L_PCC + L_CCC)). Also the first half of elimStep, which reuses
 * `batchPart` so that elimStep with the ELIM term off is this computation exactly.
 */
import * as RE from 'fp-ts/lib/ReaderEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Tensor } from '../lib/tensor/tensor.js';
import type { StateTree } from '../lib/nn/tree.js';
import type { ParamTree } from '../lib/nn/tree.js';
import { validateConfig } from './config.js';
import { forkStreams, type Env, type StepStreams } from './env.js';
import type { ElimError } from './errors.js';
import type { GroupOutcome } from './stages/group.js';
import { loss, type LossTerms } from './stages/loss.js';
import { project, type ProjectorModel } from './stages/project.js';
import type { Stage } from './stages/stage.js';
import { validate, type StepData, type Validated } from './stages/validate.js';
import type { TransportSummary } from './stages/branch.js';

export interface StepModels {
  /** f_theta: module, parameters, BatchNorm state. */
  readonly projector: ProjectorModel;
  /** ELIM-Attention parameters (config matching 'attention'); see stages/attention.ts. */
  readonly attention?: ParamTree;
}

export interface StepInput extends StepData {
  readonly models: StepModels;
  /** 0-based training iteration (warm-up of L_main). */
  readonly iteration: number;
}

export type DisabledReason = 'baseline' | 'elim-off' | 'warmup' | 'two-step';

/** What happened to the ELIM term this step (the trainer counts these). */
export type ElimOutcome = GroupOutcome | { readonly _tag: 'Disabled'; readonly reason: DisabledReason };

export interface StepOutput {
  /** The scalar to differentiate. */
  readonly loss: Tensor;
  readonly terms: LossTerms;
  readonly outcome: ElimOutcome;
  /** The projector's new state (running statistics). */
  readonly state: StateTree;
  readonly transport?: TransportSummary;
}

export interface BatchPart {
  readonly checked: Validated;
  readonly streams: StepStreams;
  readonly y: Tensor;
  readonly state: StateTree;
}

/** validate, fork this step's streams (always, in a fixed order), project the whole batch. */
export const batchPart = (input: StepInput): RE.ReaderEither<Env, ElimError, BatchPart> =>
  pipe(
    RE.ask<Env>(),
    RE.flatMapEither((env) => validateConfig(env.config)),
    RE.flatMap(() => RE.asks((env: Env) => forkStreams(env))),
    RE.bindTo('streams'),
    RE.bind('checked', () => validate(input)),
    RE.bind('projected', ({ streams }) => project({ model: input.models.projector, x: input.z, role: 'batch', rng: streams.project })),
    RE.map(({ streams, checked, projected }) => ({ streams, checked, y: projected.y, state: projected.state })),
  );

export const baselineStep: Stage<StepInput, StepOutput> = (input) =>
  pipe(
    batchPart(input),
    RE.flatMap((b) =>
      pipe(
        loss({ batch: { y: b.y, labels: input.labels }, warmup: 0 }),
        RE.map(({ loss: l, terms }): StepOutput => ({ loss: l, terms, outcome: { _tag: 'Disabled', reason: 'baseline' }, state: b.state })),
      ),
    ),
  );
