/**
 * One method's training run, one iteration per call, so the page can interleave the baseline
 * and ELIM and hand the event loop back between iterations. Every step is the trainer's
 * (pipelines/train/trainer.ts) in the same order: the seeded identity sampler, the per-iteration
 * random streams, the batch with its augmentation, then each phase as the trainer runs it
 * (pipelines/train/phase-step.ts: objective differentiated, encoder clipping, optimiser step); validation on the
 * held-out identities every `validateEvery` iterations and at the end. The trainer itself writes
 * checkpoints through Node's file system, so it is not loaded here; the browser test checks that
 * a page run and `elim compare` end with the same held-out metrics.
 *
 * What the page adds: the training identities are evaluated at the same points (for the chart
 * of training CCC), which reads the model and changes nothing.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Backend } from '../../lib/backend/backend.js';
import { disposeOptimizerState, type OptimizerState } from '../../lib/optim/optimizer.js';
import { disposeTree } from '../../lib/nn/tree.js';
import { Rng } from '../../lib/rng/rng.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { identitySampler, type IdentitySampler } from '../../pipelines/data/identity-sampler.js';
import { phasesFor, type Method } from '../../pipelines/train/elim-objective.js';
import { evaluateSet, type Evaluation, type VaMetrics } from '../../pipelines/train/evaluate.js';
import { assembleBatch, subset as subsetOf } from '../../pipelines/train/image-set.js';
import { buildModel, initModel, type Model } from '../../pipelines/train/model.js';
import type { Phase } from '../../pipelines/train/objective.js';
import { makeOptimizer } from '../../pipelines/train/optimizer-settings.js';
import { stepStreams } from '../../pipelines/train/step-rng.js';
import { phaseStep, type PhaseContext } from '../../pipelines/train/phase-step.js';
import { formatTrainError } from '../../pipelines/train/errors.js';
import { silentLogger } from '../../pipelines/env.js';
import type { RunSpec } from '../../pipelines/cli/train-options.js';
import type { PageData } from './data.js';

export interface Validation {
  readonly step: number;
  readonly heldOut: VaMetrics;
  readonly train: VaMetrics;
  /** Held-out predictions [n x 2] at this point (the scatter). */
  readonly predictions: Float32Array;
  /** Held-out latents [n x latent] at this point (the t-SNE). */
  readonly latents: Float32Array;
}

export class Session {
  readonly method: Method;
  readonly model: Model;
  params: Map<string, Tensor>;
  state: Map<string, Tensor>;
  step = 0;
  images = 0;
  seconds = 0;
  /** Images and seconds from the third iteration on: the first ones compile GPU.js kernels. */
  steadyImages = 0;
  steadySeconds = 0;
  /** Time in held-out validations: Node's trainer counts it in its images/s, so the page reports that figure too. */
  heldOutSeconds = 0;
  readonly history: Array<{ step: number; terms: Record<string, number> }> = [];
  readonly validations: Validation[] = [];
  readonly outcomes: Record<string, number> = {};
  private optState: OptimizerState;
  private readonly optimizer;
  private readonly sampler: IdentitySampler;
  private readonly phases: readonly Phase[];
  private readonly context: PhaseContext;

  private constructor(
    readonly spec: RunSpec,
    private readonly data: PageData,
    private readonly backend: Backend,
    clipNorm: number,
    sampler: IdentitySampler,
  ) {
    const s = spec.settings;
    this.method = spec.method;
    const plan = phasesFor(spec.method, spec.elim, s.model.latent, clipNorm);
    this.phases = plan.phases;
    this.model = buildModel(s.model, plan.extras);
    this.optimizer = makeOptimizer(s.optimizer, s.steps);
    ({ params: this.params, state: this.state } = initModel(this.model, Rng.fromSeed(s.seed).fork()));
    this.optState = this.optimizer.init(this.params);
    this.sampler = sampler;
    this.context = { model: this.model, optimizer: this.optimizer, backend, size: data.train.size, logger: silentLogger };
  }

  static create(spec: RunSpec, data: PageData, backend: Backend, clipNorm: number): E.Either<string, Session> {
    const s = spec.settings;
    // the trainer's sampler stream: the seed's root, forked twice
    const sampler = identitySampler(
      data.train.keys,
      { identitiesPerBatch: s.batch.identities, imagesPerIdentity: s.batch.perIdentity },
      Rng.fromSeed(s.seed).fork().fork(),
    );
    if (E.isLeft(sampler)) return E.left(sampler.left.message);
    return E.right(new Session(spec, data, backend, clipNorm, sampler.right));
  }

  get done(): boolean {
    return this.step >= this.spec.settings.steps;
  }

  /** One training iteration; a Left when a phase fails (a stage's Left, a non-finite loss). */
  iterate(): E.Either<string, Record<string, number>> {
    const s = this.spec.settings;
    const t0 = performance.now();
    const idx = this.sampler.next();
    const streams = stepStreams(s.seed, this.step);
    const b = assembleBatch(this.data.train, idx, s.augment, streams.augment);
    const terms: Record<string, number> = {};
    for (const phase of this.phases) {
      const r = phaseStep(this.context, phase, { params: this.params, state: this.state, opt: this.optState }, b, this.step, streams);
      if (E.isLeft(r)) return E.left(`${this.method}: ${formatTrainError(r.left)}`);
      ({ params: this.params, state: this.state, opt: this.optState } = r.right.next);
      for (const [k, v] of Object.entries(r.right.terms)) terms[this.phases.length > 1 ? `${phase.name}.${k}` : k] = v;
      this.outcomes[r.right.outcome] = (this.outcomes[r.right.outcome] ?? 0) + 1;
    }
    this.step++;
    this.images += idx.length;
    const dt = (performance.now() - t0) / 1000;
    this.seconds += dt;
    if (this.step > 2) {
      this.steadyImages += idx.length;
      this.steadySeconds += dt;
    }
    this.history.push({ step: this.step, terms });
    return E.right(terms);
  }

  /** The trainer validates every n iterations before the last, and once at the end. */
  get validationDue(): boolean {
    const every = this.spec.settings.validateEvery;
    return this.done || (every > 0 && this.step % every === 0);
  }

  validate(): Validation {
    const m = { model: this.model, params: this.params, state: this.state };
    const t0 = performance.now();
    const held: Evaluation = evaluateSet(m, this.data.heldOut, this.backend, { withLatents: true });
    this.heldOutSeconds += (performance.now() - t0) / 1000;
    // the training identities in batches no larger than the held-out ones: GPU.js compiles per
    // shape, so this reuses the held-out batches' kernels (per-sample outputs do not depend on it)
    const tr = evaluateSet(m, this.data.train, this.backend, { batchSize: Math.min(128, this.data.heldOut.count) });
    const v = { step: this.step, heldOut: held.overall, train: tr.overall, predictions: held.predictions, latents: held.latents! };
    this.validations.push(v);
    return v;
  }

  /** Latents of some images of the training set (eval mode), for the transport view. */
  latents(indices: readonly number[]): Float32Array {
    const m = { model: this.model, params: this.params, state: this.state };
    return evaluateSet(m, subsetOf(this.data.train, indices), this.backend, { withLatents: true }).latents!;
  }

  dispose(): void {
    disposeTree(this.params);
    disposeTree(this.state);
    disposeOptimizerState(this.optState);
  }
}
