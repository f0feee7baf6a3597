/** Type-level pins: every stage is (input) => ReaderTaskEither<Env, ElimError, Output>, over a synchronous ReaderEither core. */
import { describe, expectTypeOf, it } from 'vitest';
import type * as RE from 'fp-ts/lib/ReaderEither.js';
import type * as RTE from 'fp-ts/lib/ReaderTaskEither.js';
import type { Env } from '../env.js';
import type { ElimError } from '../errors.js';
import { group, groupSync, type GroupInput, type GroupOutcome } from './group.js';
import { sample, sampleSync, type SampleInput, type SampleOutput } from './sample.js';
import { transport, transportSync, type TransportInput, type TransportOutput } from './transport.js';
import { normalize, normalizeSync, type NormalizeInput, type NormalizeOutput } from './normalize.js';
import { project, projectSync, type ProjectInput, type ProjectOutput } from './project.js';
import { loss, lossSync, type LossInput, type LossOutput } from './loss.js';
import { attention, attentionSync, type AttentionInput, type AttentionOutput } from './attention.js';
import { validate, validateSync, type StepData, type Validated } from './validate.js';
import { elimStep, elimStepSync, elimOnlyStep, withGrad, type StepInput, type StepOutput } from '../elim.js';
import { baselineStep, baselineStepSync } from '../baseline.js';
import type { Stage, SyncStage } from './stage.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type * as E from 'fp-ts/lib/Either.js';

describe('stage signatures', () => {
  it('the effectful stages are (input) => ReaderTaskEither<Env, ElimError, Output>', () => {
    expectTypeOf(group).toEqualTypeOf<(i: GroupInput) => RTE.ReaderTaskEither<Env, ElimError, GroupOutcome>>();
    expectTypeOf(sample).toEqualTypeOf<(i: SampleInput) => RTE.ReaderTaskEither<Env, ElimError, SampleOutput>>();
    expectTypeOf(transport).toEqualTypeOf<(i: TransportInput) => RTE.ReaderTaskEither<Env, ElimError, TransportOutput>>();
    expectTypeOf(normalize).toEqualTypeOf<(i: NormalizeInput) => RTE.ReaderTaskEither<Env, ElimError, NormalizeOutput>>();
    expectTypeOf(project).toEqualTypeOf<(i: ProjectInput) => RTE.ReaderTaskEither<Env, ElimError, ProjectOutput>>();
    expectTypeOf(loss).toEqualTypeOf<(i: LossInput) => RTE.ReaderTaskEither<Env, ElimError, LossOutput>>();
    expectTypeOf(attention).toEqualTypeOf<(i: AttentionInput) => RTE.ReaderTaskEither<Env, ElimError, AttentionOutput>>();
    expectTypeOf(validate).toEqualTypeOf<Stage<StepData, Validated>>();
    expectTypeOf(elimStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
    expectTypeOf(elimOnlyStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
    expectTypeOf(baselineStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
  });

  it('their cores are synchronous ReaderEither (runnable inside valueAndGrad)', () => {
    expectTypeOf(groupSync).toEqualTypeOf<(i: GroupInput) => RE.ReaderEither<Env, ElimError, GroupOutcome>>();
    expectTypeOf(sampleSync).toEqualTypeOf<SyncStage<SampleInput, SampleOutput>>();
    expectTypeOf(transportSync).toEqualTypeOf<SyncStage<TransportInput, TransportOutput>>();
    expectTypeOf(normalizeSync).toEqualTypeOf<SyncStage<NormalizeInput, NormalizeOutput>>();
    expectTypeOf(projectSync).toEqualTypeOf<SyncStage<ProjectInput, ProjectOutput>>();
    expectTypeOf(lossSync).toEqualTypeOf<SyncStage<LossInput, LossOutput>>();
    expectTypeOf(attentionSync).toEqualTypeOf<SyncStage<AttentionInput, AttentionOutput>>();
    expectTypeOf(validateSync).toEqualTypeOf<SyncStage<StepData, Validated>>();
    expectTypeOf(elimStepSync).toEqualTypeOf<SyncStage<StepInput, StepOutput>>();
    expectTypeOf(baselineStepSync).toEqualTypeOf<SyncStage<StepInput, StepOutput>>();
    expectTypeOf(elimStepSync).returns.returns.toEqualTypeOf<E.Either<ElimError, StepOutput>>();
  });

  it('a step output carries the loss tensor, the outcome tags and the state', () => {
    expectTypeOf<StepOutput['loss']>().toEqualTypeOf<Tensor>();
    expectTypeOf<StepOutput['outcome']['_tag']>().toEqualTypeOf<'Grouped' | 'Skipped' | 'Disabled'>();
    expectTypeOf<ElimError['_tag']>().toEqualTypeOf<'EngineFailure' | 'TransportFailure' | 'InputMismatch' | 'NonFinite' | 'InvalidConfig'>();
    expectTypeOf(withGrad<StepOutput>).returns.toEqualTypeOf<E.Either<ElimError, { out: StepOutput; grads: Map<string, Tensor> }>>();
  });
});
