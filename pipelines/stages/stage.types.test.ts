/** Type-level pins: every stage is (input) => ReaderEither<Env, ElimError, Output>, runnable inside valueAndGrad. */
import { describe, expectTypeOf, it } from 'vitest';
import type * as RE from 'fp-ts/lib/ReaderEither.js';
import type { RngState } from '../../lib/rng/rng.js';
import type { Env } from '../env.js';
import type { ElimError } from '../errors.js';
import { group, type GroupInput, type GroupOutcome } from './group.js';
import { sample, type SampleInput, type SampleOutput } from './sample.js';
import { transport, type TransportInput, type TransportOutput } from './transport.js';
import { normalize, type NormalizeInput, type NormalizeOutput } from './normalize.js';
import { project, type ProjectInput, type ProjectOutput } from './project.js';
import { loss, type LossInput, type LossOutput } from './loss.js';
import { attention, type AttentionInput, type AttentionOutput } from './attention.js';
import { validate, type StepData, type Validated } from './validate.js';
import { elimStep, elimOnlyStep, withGrad, type StepInput, type StepOutput } from '../elim.js';
import { baselineStep } from '../baseline.js';
import type { Stage } from './stage.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type * as E from 'fp-ts/lib/Either.js';

describe('stage signatures', () => {
  it('every stage and composition is (input) => ReaderEither<Env, ElimError, Output>', () => {
    expectTypeOf(group).toEqualTypeOf<(i: GroupInput) => RE.ReaderEither<Env, ElimError, GroupOutcome>>();
    expectTypeOf(sample).toEqualTypeOf<Stage<SampleInput, SampleOutput>>();
    expectTypeOf(transport).toEqualTypeOf<Stage<TransportInput, TransportOutput>>();
    expectTypeOf(normalize).toEqualTypeOf<Stage<NormalizeInput, NormalizeOutput>>();
    expectTypeOf(project).toEqualTypeOf<Stage<ProjectInput, ProjectOutput>>();
    expectTypeOf(loss).toEqualTypeOf<Stage<LossInput, LossOutput>>();
    expectTypeOf(attention).toEqualTypeOf<Stage<AttentionInput, AttentionOutput>>();
    expectTypeOf(validate).toEqualTypeOf<Stage<StepData, Validated>>();
    expectTypeOf(elimStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
    expectTypeOf(elimOnlyStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
    expectTypeOf(baselineStep).toEqualTypeOf<Stage<StepInput, StepOutput>>();
    expectTypeOf(elimStep).returns.returns.toEqualTypeOf<E.Either<ElimError, StepOutput>>();
  });

  it('the Env is what stages read: config, an immutable random key, a logger (no backend)', () => {
    expectTypeOf<keyof Env>().toEqualTypeOf<'config' | 'rngKey' | 'logger'>();
    expectTypeOf<Env['rngKey']>().toEqualTypeOf<RngState>();
  });

  it('a step output carries the loss tensor, the outcome tags and the state', () => {
    expectTypeOf<StepOutput['loss']>().toEqualTypeOf<Tensor>();
    expectTypeOf<StepOutput['outcome']['_tag']>().toEqualTypeOf<'Grouped' | 'Skipped' | 'Disabled'>();
    expectTypeOf<ElimError['_tag']>().toEqualTypeOf<'EngineFailure' | 'TransportFailure' | 'InputMismatch' | 'NonFinite' | 'InvalidConfig'>();
    expectTypeOf(withGrad<StepOutput>).returns.toEqualTypeOf<E.Either<ElimError, { out: StepOutput; grads: Map<string, Tensor> }>>();
  });
});
