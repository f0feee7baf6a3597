/**
 * One phase of one training iteration: the encoder forward and the phase's objective under
 * autodiff, then (when the loss is finite) optional encoder clipping and the optimiser step. A
 * stage's Left unwinds the autodiff scope (elim.ts `withGrad`) and comes back as `StageFailed`
 * with its ElimError; a NaN/Inf loss as `NonFiniteLoss`, before any parameter changes.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { clipGradNorm } from '../../lib/optim/clip.js';
import type { Optimizer, OptimizerState } from '../../lib/optim/optimizer.js';
import { subtree } from '../../lib/nn/tree.js';
import type { Backend } from '../../lib/backend/backend.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { withGrad } from '../elim.js';
import type { Logger } from '../env.js';
import type { TrainError } from './errors.js';
import type { assembleBatch } from './image-set.js';
import { nextModelState, type Model } from './model.js';
import type { ObjectiveOutput, Phase } from './objective.js';
import type { StepStreams } from './step-rng.js';

type Batch = ReturnType<typeof assembleBatch>;

export interface TrainingState {
  readonly params: Map<string, Tensor>;
  readonly state: Map<string, Tensor>;
  readonly opt: OptimizerState;
}

export interface PhaseContext {
  readonly model: Model;
  readonly optimizer: Optimizer;
  readonly backend: Backend;
  /** Image side of the batch's [B, 3, size, size] tensor. */
  readonly size: number;
  readonly logger: Logger;
}

export interface PhaseResult {
  readonly next: TrainingState;
  readonly terms: Readonly<Record<string, number>>;
  readonly outcome: string;
}

export const phaseStep = (c: PhaseContext, phase: Phase, s: TrainingState, b: Batch, step: number, streams: StepStreams): E.Either<TrainError, PhaseResult> => {
  const n = b.keys.length;
  const x = T.tensor(b.x, [n, 3, c.size, c.size], { backend: c.backend });
  const y = T.tensor(b.y, [n, 2], { backend: c.backend });
  const r = withGrad(s.params, () => {
    const enc = c.model.encoder.apply(subtree(s.params, 'encoder'), subtree(s.state, 'encoder'), x, { training: true, rng: streams.dropout.fork() });
    const o = phase.objective({
      z: enc.y,
      labels: y,
      keys: b.keys,
      projector: { module: c.model.projector, params: subtree(s.params, 'projector'), state: subtree(s.state, 'projector') },
      params: s.params,
      iteration: step,
      rng: streams.objective.fork(),
      logger: c.logger,
    });
    return E.map((out: ObjectiveOutput) => ({ ...out, encState: enc.state }))(o);
  });
  x.dispose();
  y.dispose();
  if (E.isLeft(r)) return E.left({ _tag: 'StageFailed', step, phase: phase.name, error: r.left });
  const { out, grads } = r.right;
  const lossValue = out.terms.total ?? out.loss.item();
  out.loss.dispose();
  if (!Number.isFinite(lossValue)) {
    for (const g of grads.values()) g.dispose();
    return E.left({ _tag: 'NonFiniteLoss', step, phase: phase.name, value: lossValue });
  }
  const clipped = phase.encoderClipNorm > 0 ? clipGradNorm(grads, phase.encoderClipNorm, (k) => k.startsWith('encoder.')).grads : grads;
  const u = c.optimizer.step(s.params, clipped, s.opt);
  return E.right({
    next: { params: u.params, opt: u.state, state: nextModelState(s.state, out.encState, out.projectorState) },
    terms: out.terms,
    outcome: out.outcome,
  });
};
