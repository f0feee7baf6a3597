/**
 * What the trainer tests share (trainer, trainer-backends, regularisers): Adam settings with
 * the defaults they use, the tiny AL64 run settings, and a `train` call on a phase plan
 * (the sink comes from the test: training code may not import the CLI's sinks).
 */
import type { Backend } from '../../lib/backend/backend.js';
import type { PhasePlan } from './elim-objective.js';
import type { EventSink } from './events.js';
import type { ImageSet } from './image-set.js';
import { train, type TrainSettings } from './trainer.js';

/** Adam at `lr` (betas 0.9 / 0.999, constant schedule, no weight decay). */
export const adamAt = (lr: number): TrainSettings['optimizer'] => ({
  kind: 'adam',
  lr,
  betas: [0.9, 0.999],
  momentum: 0,
  weightDecay: 0,
  projectorLrScale: 1,
  schedule: 'constant',
  milestones: [],
  gamma: 1,
});

/** The tiny AL64 (16 px, width 0.25) on 4 identities x 4 images, Adam 1e-3, seed 11, no validation or checkpoints; `extra` overrides. */
export const tinySettings = (steps: number, extra: Partial<TrainSettings> = {}): TrainSettings => ({
  model: { backbone: 'al64', inputSize: 16, width: 0.25, hidden: 32, latent: 16, dropout: 0.1 },
  optimizer: adamAt(1e-3),
  batch: { identities: 4, perIdentity: 4 },
  steps,
  seed: 11,
  validateEvery: 0,
  checkpointEvery: 0,
  logEvery: 1,
  augment: { flip: true },
  ...extra,
});

/** `train` on a phase plan with the given event sink; `extra` adds or overrides arguments. */
export const trainPlan = (
  settings: TrainSettings,
  plan: PhasePlan,
  backend: Backend,
  trainSet: ImageSet,
  events: EventSink,
  extra: Partial<Parameters<typeof train>[0]> = {},
) => train({ settings, phases: plan.phases, extras: plan.extras, backend, train: trainSet, events, ...extra });
