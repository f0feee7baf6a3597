/**
 * One supervised training step over a Module, the loop every trainer writes: forward in training
 * mode, loss, gradients, optional clipping, optimiser update, and the bookkeeping that keeps
 * memory flat (the loss value is read and released, replaced running statistics and consumed
 * parameters/gradients/optimiser buffers are disposed). Returns successors; inputs are consumed
 * (x and the target are the caller's and are left alone).
 */
import type { Module } from '../nn/module.js';
import { disposeReplaced, type ParamTree, type StateTree } from '../nn/tree.js';
import type { Rng } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { clipGradNorm } from './clip.js';
import { valueAndGradTree } from './grads.js';
import type { Optimizer, OptimizerState } from './optimizer.js';

export interface TrainState {
  readonly params: ParamTree;
  readonly state: StateTree;
  readonly opt: OptimizerState;
}

export interface TrainStepOptions {
  readonly rng?: Rng;
  /** Clip the global norm of the gradients of the parameters `clip.which` accepts (default all). */
  readonly clip?: { readonly maxNorm: number; readonly which?: (name: string) => boolean };
}

export const trainStep = (
  module: Module,
  optimizer: Optimizer,
  s: TrainState,
  x: Tensor,
  loss: (y: Tensor) => Tensor,
  o: TrainStepOptions = {},
): { readonly next: TrainState; readonly loss: number; readonly gradNorm?: number } => {
  const { out, grads } = valueAndGradTree(s.params, () => {
    const r = module.apply(s.params, s.state, x, { training: true, rng: o.rng });
    return { loss: loss(r.y), state: r.state };
  });
  const value = out.loss.item();
  out.loss.dispose();
  disposeReplaced(s.state, out.state);
  const clipped = o.clip ? clipGradNorm(grads, o.clip.maxNorm, o.clip.which) : { grads, norm: undefined };
  const u = optimizer.step(s.params, clipped.grads, s.opt);
  return { next: { params: u.params, state: out.state, opt: u.state }, loss: value, gradNorm: clipped.norm };
};
