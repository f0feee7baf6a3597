/**
 * What one optimisation phase minimises, given the encoder's latents for a batch. The trainer
 * knows nothing of ELIM: it runs the encoder, hands z to the objective, and differentiates the
 * loss it returns. One-step training has one phase; the release's two-step training has two
 * (the baseline step, then the ELIM-only step), each with its own backward pass and update.
 * An objective returns its stages' `Left` as a value: the trainer unwinds the autodiff scope and
 * returns it to its caller with the iteration and phase (errors.ts `StageFailed`).
 */
import type * as E from 'fp-ts/lib/Either.js';
import type { Module } from '../../lib/nn/module.js';
import type { ParamTree, StateTree } from '../../lib/nn/tree.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { Logger } from '../env.js';
import type { ElimError } from '../errors.js';

export interface ObjectiveInput {
  readonly z: Tensor;
  /** [B, 2] */
  readonly labels: Tensor;
  /** Domain key per sample (identity, age group, ...). */
  readonly keys: readonly string[];
  readonly projector: { readonly module: Module; readonly params: ParamTree; readonly state: StateTree };
  /** The whole parameter tree (objectives with trainable parts of their own read them here, e.g. `matcher.*`). */
  readonly params: ParamTree;
  /** 0-based optimisation iteration (the warm-up reads it). */
  readonly iteration: number;
  readonly rng: Rng;
  /** Where the stages' warnings go (the trainer's event sink: trainer/events.ts `stageLogger`). */
  readonly logger: Logger;
}

export interface ObjectiveOutput {
  readonly loss: Tensor;
  /** Every loss term as a number, for logs and plots. */
  readonly terms: Readonly<Record<string, number>>;
  /** The projector's state after this phase (BatchNorm running statistics). */
  readonly projectorState: StateTree;
  /** 'baseline', 'elim', or why the ELIM term was skipped this iteration (counted by the trainer). */
  readonly outcome: string;
}

export interface Phase {
  readonly name: string;
  readonly objective: (input: ObjectiveInput) => E.Either<ElimError, ObjectiveOutput>;
  /** Clip the encoder's gradients to this global norm in this phase (0: no clipping). */
  readonly encoderClipNorm: number;
}
