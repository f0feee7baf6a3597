/**
 * The training loop. Per iteration: an identity-aware P x K batch, the encoder in training mode,
 * then each phase (one for one-step training, two for the release's two-step) differentiates
 * its objective, optionally clips the encoder's gradients, and takes an optimiser step.
 * Everything random derives from (seed, iteration) or from the seeded batch sampler, so a run
 * resumed from a checkpoint continues exactly as if it had never stopped.
 *
 * Long work shows progress (events + progress bar), validates every n steps, checkpoints
 * atomically every m steps, and on a stop request (Ctrl-C) finishes the current iteration,
 * writes a checkpoint and returns.
 */
import * as E from 'fp-ts/lib/Either.js';
import { saveCheckpoint, loadCheckpoint, templateOf, type TrainingCheckpoint } from '../../lib/checkpoint/checkpoint.js';
import { EngineError } from '../../lib/errors.js';
import { disposeOptimizerState } from '../../lib/optim/optimizer.js';
import type { Module } from '../../lib/nn/module.js';
import { Rng } from '../../lib/rng/rng.js';
import type { Backend } from '../../lib/backend/backend.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { identitySampler } from '../data/identity-sampler.js';
import { stageLogger, type EventSink } from './events.js';
import { nodeFileIO } from '../io/node-file-io.js';
import { evaluateSet, type VaMetrics } from './evaluate.js';
import { assembleBatch, type BatchAugment, type ImageSet } from './image-set.js';
import { buildModel, initModel, type Model, type ModelSpec, type ModelTensors } from './model.js';
import type { Phase } from './objective.js';
import type { AdversarySettings } from './adversarial-objective.js';
import { makeOptimizer, type OptimizerSettings } from './optimizer-settings.js';
import { stepStreams } from './step-rng.js';
import { resumeProblem } from './resume-check.js';
import type { TrainError } from './errors.js';
import { phaseStep, type TrainingState } from './phase-step.js';
import { keepBest, restoreBest, type BestSoFar } from './best-params.js';

export type { TrainError } from './errors.js';

export interface TrainSettings {
  readonly model: ModelSpec;
  readonly optimizer: OptimizerSettings;
  /** P identities x K images per batch. */
  readonly batch: { readonly identities: number; readonly perIdentity: number };
  readonly steps: number;
  readonly seed: number;
  /** Validate every n iterations (0: only at the end). */
  readonly validateEvery: number;
  /** Checkpoint every n iterations (0: only at the end); needs a checkpoint path. */
  readonly checkpointEvery: number;
  /** Emit a step event every n iterations. */
  readonly logEvery: number;
  readonly augment: BatchAugment;
  /** Early stopping on a validation split of this fraction of the TRAINING identities (run.ts makes the split). Absent: off. */
  readonly earlyStop?: { readonly fraction: number };
  /** The identity-adversarial method's settings (method 'adversarial' only). */
  readonly adversary?: AdversarySettings;
}

export interface StepRecord {
  readonly step: number;
  readonly terms: Readonly<Record<string, number>>;
}

export interface TrainResult extends ModelTensors {
  readonly model: Model;
  /** Iterations completed (equals settings.steps unless stopped). */
  readonly step: number;
  readonly stopped: boolean;
  readonly history: readonly StepRecord[];
  readonly validations: ReadonlyArray<{ readonly step: number; readonly metrics: VaMetrics }>;
  /** How often each phase outcome happened (e.g. how many batches skipped the ELIM term and why). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** With a selection set: the step whose parameters were kept, and its selection score. */
  readonly selected?: { readonly step: number; readonly score: number };
}

export interface TrainInputs {
  readonly settings: TrainSettings;
  /** Trainable modules the objective needs besides encoder and projector (e.g. ELIM-Attention's matcher). */
  readonly extras?: ReadonlyArray<readonly [string, Module]>;
  readonly phases: readonly Phase[];
  readonly backend: Backend;
  readonly train: ImageSet;
  readonly validation?: ImageSet;
  /**
   * Early stopping (issue #15): a validation split of TRAINING identities (never the held-out
   * ones). At every validation step the model is scored on it (mean of valence and arousal CCC)
   * and the best parameters are kept; at the end they replace the last ones before the final
   * validation and evaluation. Training still runs all `steps` (equal cost).
   */
  readonly selection?: ImageSet;
  readonly events: EventSink;
  /** Where checkpoints go (written atomically); also what `resume` reads. */
  readonly checkpointPath?: string;
  readonly resume?: boolean;
  /** Set `stop` to true (e.g. on SIGINT) to finish the iteration, checkpoint and return. */
  readonly control?: { stop: boolean };
  /** Extra metadata written into checkpoints (e.g. the resolved config). */
  readonly metadata?: Readonly<Record<string, string>>;
}

const metadataFor = (inp: TrainInputs): Record<string, string> => ({
  ...inp.metadata,
  modelSpec: JSON.stringify(inp.settings.model),
  seed: String(inp.settings.seed),
});

const disposeAll = (m: ReadonlyMap<string, Tensor>) => {
  for (const t of m.values()) t.dispose();
};

export const train = async (inp: TrainInputs): Promise<E.Either<TrainError, TrainResult>> => {
  const { settings: s, backend, events } = inp;
  const model = buildModel(s.model, inp.extras);
  const optimizer = makeOptimizer(s.optimizer, s.steps);
  const init = initModel(model, Rng.fromSeed(s.seed).fork());
  let t: TrainingState = { params: init.params, state: init.state, opt: optimizer.init(init.params) };
  let start = 0;

  if (inp.resume) {
    const path = inp.checkpointPath;
    if (!path) return E.left({ _tag: 'ResumeRefused', reason: 'resume needs a checkpoint path' });
    const loaded = await loadCheckpoint(nodeFileIO, path, templateOf(t.params, t.state, t.opt), { backend })();
    if (E.isLeft(loaded)) return E.left({ _tag: 'CheckpointFailed', op: 'resume', path, error: loaded.left });
    disposeAll(t.params);
    disposeAll(t.state);
    disposeOptimizerState(t.opt);
    t = { params: new Map(loaded.right.params), state: new Map(loaded.right.state), opt: loaded.right.optimizer! };
    start = loaded.right.step;
    const refused = resumeProblem(start, loaded.right.metadata ?? {}, { steps: s.steps, metadata: metadataFor(inp) });
    if (refused) return E.left({ _tag: 'ResumeRefused', path, reason: refused });
    events.emit({ event: 'resume', step: start, checkpoint: path });
  }

  // The batch order is a seeded sampler; resuming replays it up to `start` (index arithmetic only).
  const sampler = identitySampler(
    inp.train.keys,
    { identitiesPerBatch: s.batch.identities, imagesPerIdentity: s.batch.perIdentity },
    Rng.fromSeed(s.seed).fork().fork(),
  );
  if (E.isLeft(sampler)) return E.left({ _tag: 'DataFailed', error: sampler.left });
  for (let i = 0; i < start; i++) sampler.right.next();

  const history: StepRecord[] = [];
  const validations: Array<{ step: number; metrics: VaMetrics }> = [];
  const outcomes: Record<string, number> = {};
  const t0 = performance.now();
  let images = 0;
  let step = start;
  const batchSize = s.batch.identities * s.batch.perIdentity;
  const ctx = { model, optimizer, backend, size: inp.train.size, logger: stageLogger(events) };

  const checkpoint = async (): Promise<E.Either<TrainError, void>> => {
    const path = inp.checkpointPath;
    if (!path) return E.right(undefined);
    const c: TrainingCheckpoint = { step, params: t.params, state: t.state, optimizer: t.opt, metadata: metadataFor(inp) };
    const r = await saveCheckpoint(nodeFileIO, path, c)();
    if (E.isLeft(r)) return E.left({ _tag: 'CheckpointFailed', op: 'save', path, error: r.left });
    events.emit({ event: 'checkpoint', step, path });
    return E.right(undefined);
  };

  // early stopping: the best parameters so far on the selection split (best-params.ts)
  let best: BestSoFar | null = null;
  const select = () => {
    if (!inp.selection) return;
    const ev = evaluateSet({ model, params: t.params, state: t.state }, inp.selection, backend);
    const score = (ev.overall.valence.ccc + ev.overall.arousal.ccc) / 2;
    events.emit({ event: 'selection', step, score, valence: ev.overall.valence, arousal: ev.overall.arousal });
    best = keepBest(best, step, score, t.params, t.state);
  };

  const validate = () => {
    if (!inp.validation) return;
    const ev = evaluateSet({ model, params: t.params, state: t.state }, inp.validation, backend);
    validations.push({ step, metrics: ev.overall });
    events.emit({ event: 'validation', step, valence: ev.overall.valence, arousal: ev.overall.arousal });
  };

  events.emit({
    event: 'train-start',
    steps: s.steps,
    from: start,
    backend: backend.name,
    kernelClass: backend.kernelClass,
    batch: batchSize,
    phases: inp.phases.map((p) => p.name),
  });
  let stopped = false;
  try {
    while (step < s.steps) {
      const idx = sampler.right.next();
      const streams = stepStreams(s.seed, step);
      const b = assembleBatch(inp.train, idx, s.augment, streams.augment);
      const terms: Record<string, number> = {};
      for (const phase of inp.phases) {
        const r = phaseStep(ctx, phase, t, b, step, streams);
        if (E.isLeft(r)) return r;
        t = r.right.next;
        for (const [k, v] of Object.entries(r.right.terms)) terms[inp.phases.length > 1 ? `${phase.name}.${k}` : k] = v;
        outcomes[r.right.outcome] = (outcomes[r.right.outcome] ?? 0) + 1;
      }
      step++;
      images += idx.length;
      history.push({ step, terms });
      const elapsed = (performance.now() - t0) / 1000;
      const epoch = Math.floor((step * batchSize) / inp.train.count);
      if (step % s.logEvery === 0 || step === s.steps) events.emit({ event: 'step', step, epoch, imagesPerSecond: images / elapsed, ...terms });
      const losses = pickTerms(terms);
      events.progress({ step, totalSteps: s.steps, epoch, elapsedSeconds: elapsed, imagesPerSecond: images / elapsed, losses, label: inp.metadata?.label });
      if (s.validateEvery > 0 && step % s.validateEvery === 0 && step < s.steps) {
        select();
        validate();
      }
      if (s.checkpointEvery > 0 && step % s.checkpointEvery === 0 && step < s.steps) {
        const c = await checkpoint();
        if (E.isLeft(c)) return c;
      }
      if (inp.control?.stop) {
        stopped = true;
        events.info(`stopping at iteration ${step}: writing a checkpoint`);
        break;
      }
      // let signal handlers and IO run between iterations
      if (step % 10 === 0) await new Promise((r) => setImmediate(r));
    }
  } catch (err) {
    if (err instanceof EngineError) return E.left({ _tag: 'EngineFailure', step, error: err });
    throw err;
  } finally {
    events.close();
  }
  select();
  const kept = best as BestSoFar | null; // assigned inside select(): TypeScript's flow analysis cannot see it
  if (kept && kept.step !== step) {
    // restore the selected parameters (the optimiser state stays the last one: it is not used again)
    t = { ...t, ...restoreBest(kept, t.params, t.state, backend) };
    events.emit({ event: 'early-stopping', selectedStep: kept.step, score: kept.score, lastStep: step });
  }
  validate();
  const c = await checkpoint();
  if (E.isLeft(c)) return c;
  disposeOptimizerState(t.opt);
  const seconds = (performance.now() - t0) / 1000;
  events.emit({ event: 'train-end', step, seconds, imagesPerSecond: images / seconds, outcomes });
  return E.right({
    model,
    params: t.params,
    state: t.state,
    step,
    stopped,
    history,
    validations,
    outcomes,
    seconds,
    imagesPerSecond: images / Math.max(seconds, 1e-9),
    selected: kept ? { step: kept.step, score: kept.score } : undefined,
  });
};

const pickTerms = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).filter(([k]) => /(^|\.)(total|main|va|pcc|ccc)$/.test(k)));
