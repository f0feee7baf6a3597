/**
 * Stage `project` (spec stage 7): the projector f_theta (lib/nn `projector`: Linear(d, 20d) ->
 * BatchNorm1d -> ReLU -> Linear(20d, 2)) applied to features.
 *
 * Two roles:
 * - 'batch': f_theta(z) on the whole batch for L_va / L_PCC / L_CCC: one training call, the
 *   running statistics updated as usual.
 * - 'elim': f_theta(z~) on the ID-normalised target samples. Default (`projectorCalls:
 *   'joint'`): one call over all targets together, BatchNorm normalising by the statistics of
 *   the concatenation, running statistics NOT updated (ctx.updateStats = false) — a per-group
 *   BatchNorm would subtract each identity's own mean and erase its emotion level. The
 *   release's behaviour (`'per-identity'`) calls f_theta once per target group, each call using
 *   that group's statistics and updating the running statistics in turn.
 * The state returned is what the trainer keeps (unchanged in joint mode).
 */
import * as T from '../../lib/ops/index.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { Module } from '../../lib/nn/module.js';
import type { ParamTree, StateTree } from '../../lib/nn/tree.js';
import { engineStage, type Stage } from './stage.js';

export interface ProjectorModel {
  readonly module: Module;
  readonly params: ParamTree;
  readonly state: StateTree;
}

export interface ProjectInput {
  readonly model: ProjectorModel;
  /** Rows to project, [M, d]. */
  readonly x: Tensor;
  readonly role: 'batch' | 'elim';
  /** Rows per group (role 'elim', per-identity calls); sums to M. */
  readonly sizes?: readonly number[];
  readonly rng: Rng;
  /** false: evaluation mode (running statistics); default true. */
  readonly training?: boolean;
}

export interface ProjectOutput {
  /** Predictions [M, 2]. */
  readonly y: Tensor;
  readonly state: StateTree;
}

export const projectRows = (input: ProjectInput, calls: 'joint' | 'per-identity'): ProjectOutput => {
  const { model, x, role, rng } = input;
  const training = input.training ?? true;
  if (role === 'batch' || calls === 'joint' || !training) {
    const r = model.module.apply(model.params, model.state, x, { training, rng, updateStats: role === 'batch' });
    return { y: r.y, state: role === 'batch' ? r.state : model.state };
  }
  // the release: one call per identity group, each updating the running statistics
  const sizes = input.sizes ?? [x.shape[0]];
  let state = model.state;
  let offset = 0;
  const ys = sizes.map((n) => {
    const r = model.module.apply(model.params, state, T.slice(x, [offset, 0], [n, x.shape[1]]), { training, rng, updateStats: true });
    state = r.state;
    offset += n;
    return r.y;
  });
  return { y: ys.length === 1 ? ys[0] : T.concat(ys, 0), state };
};

export const project: Stage<ProjectInput, ProjectOutput> = engineStage('project', (input, env) => projectRows(input, env.config.projectorCalls));
