/**
 * Stage `normalize` (spec stages 5-6): the ID shift of each target sample, then RMS
 * normalisation  z~_j = (z_j - mu_j) / (sqrt(mean_d (z_j - mu_j)^2) + eps).
 *
 * Where mu comes from:
 * - `Transport` (Sinkhorn matching): per-sample mu_j = sum_i X_ij C_ij (config shift
 *   'per-sample', default) or the release's scalar: mu_0 of each target for all of its samples
 *   ('scalar'). Detached by default (the release): then mu is the transport stage's shift, which
 *   never left the backend. With `detachShift: false` the shift is
 *   differentiable: C is recomputed from the feature tensors and the plan X held fixed, so the
 *   gradient is dmu_j = sum_i X_ij dC_ij (the envelope-theorem gradient of the OT cost; the
 *   5 Sinkhorn iterations are not unrolled).
 * - `Weights` (ELIM-Attention): the attention head's one weight per target sample, trained
 *   jointly (never detached).
 *
 * The RMS denominator is sqrt(max(ms, 1e-24)) + eps: identical to the spec's forward value up
 * to 1e-12, and its gradient stays finite when a row equals its shift exactly.
 * Targets are handled together: rows in target order, `sizes` says how many each has.
 */
import * as T from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { Cost, ShiftMode } from '../config.js';
import { costTensor, targetPlan, type TransportOutput } from './transport.js';
import { engineStage, type Stage } from './stage.js';

export type ShiftSource =
  { readonly _tag: 'Transport'; readonly anchor: readonly number[]; readonly transport: TransportOutput } | { readonly _tag: 'Weights'; readonly mu: Tensor };

export interface NormalizeInput {
  /** Features of the whole batch, [B, d]. */
  readonly z: Tensor;
  /** Batch indices of each target's kept samples. */
  readonly targets: ReadonlyArray<readonly number[]>;
  readonly shift: ShiftSource;
}

export interface NormalizeOutput {
  /** Normalised target features, [M, d] (M = sum of sizes), targets in order. */
  readonly zTilde: Tensor;
  /** The shift used, [M, 1] (per-sample, scalar, attention) or [M, d] (vector shifts). */
  readonly mu: Tensor;
  readonly sizes: readonly number[];
}

export { costTensor };

/**
 * The vector shifts (issue #9), [M, d], with the plans held fixed (all on the plans' backend):
 * - vector: mu_j = alpha (z_j - sum_i X_ij z_i^a / sum_i X_ij), so z_j - mu_j at alpha 1 is the
 *   barycentric projection of z_j onto the anchor set;
 * - identity-vector: mu = alpha sum_ij X_ij (z_j - z_i^a) / sum_ij X_ij for every row of a target.
 * A target sample whose plan column has no mass (mean-dot relevance gave it weight 0) has no
 * barycentric projection; under 'vector' it takes its target's identity-vector displacement.
 */
export const vectorShift = (
  z: Tensor,
  anchor: readonly number[],
  targets: ReadonlyArray<readonly number[]>,
  transport: TransportOutput,
  mode: 'vector' | 'identity-vector',
  strength: number,
): Tensor => {
  const za = T.gather(z, anchor);
  const parts = targets.map((idx, k) => {
    const X = targetPlan(transport, k); // [n, m], a constant of the step
    const zt = T.gather(z, idx);
    const cols = T.sum(X, 0, true); // [1, m]
    const total = T.maximum(T.sum(cols), 1e-30);
    const colW = T.div(cols, total);
    const rowW = T.reshape(T.div(T.sum(X, 1), total), [1, transport.n]);
    const disp = T.broadcastTo(T.sub(T.matmul(colW, zt), T.matmul(rowW, za)), [idx.length, z.shape[1]]); // sum_ij X_ij (z_j - z_i) / sum X
    if (mode === 'identity-vector') return T.mul(disp, strength);
    // X^T with normalised columns, [m, n]; a column without mass takes the identity-level displacement
    const colsT = T.transpose(cols);
    const perSample = T.sub(zt, T.matmul(T.div(T.transpose(X), T.maximum(colsT, 1e-30)), za));
    return T.mul(T.where(T.gt(colsT, 1e-30), perSample, disp), strength);
  });
  return parts.length === 1 ? parts[0] : T.concat(parts, 0);
};

/** Row k of `shift` repeated for each of target k's samples: the release's scalar shift mu_0. */
const firstOfEach = (shift: Tensor, sizes: readonly number[]): Tensor => {
  const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
  return T.gather(
    shift,
    sizes.flatMap((m, k) => Array.from({ length: m }, () => starts[k])),
  );
};

/** mu for every target row: [M, 1] (per-sample, scalar) or [M, d] (vector shifts). */
export const transportShift = (
  z: Tensor,
  anchor: readonly number[],
  targets: ReadonlyArray<readonly number[]>,
  transport: TransportOutput,
  mode: ShiftMode,
  detach: boolean,
  cost: Cost,
  strength = 1,
): Tensor => {
  if (mode === 'vector' || mode === 'identity-vector') {
    const mu = vectorShift(z, anchor, targets, transport, mode, strength);
    return detach ? T.detach(mu) : mu;
  }
  if (detach) return mode === 'scalar' ? firstOfEach(transport.shift, transport.sizes) : transport.shift;
  const za = T.gather(z, anchor);
  const parts = targets.map((idx, k) => {
    const mu = T.reshape(T.sum(T.mul(targetPlan(transport, k), costTensor(cost, za, T.gather(z, idx))), 0), [idx.length, 1]); // sum_i X_ij C_ij
    return mode === 'scalar' ? T.mul(T.slice(mu, [0, 0], [1, 1]), T.onesLike(mu)) : mu;
  });
  return parts.length === 1 ? parts[0] : T.concat(parts, 0);
};

/** (z - mu) / (sqrt(mean_d (z - mu)^2) + eps), row-wise; mu [M, 1] or [M, d]. */
export const rmsNormalize = (z: Tensor, mu: Tensor, eps: number, skipRms = false): Tensor => {
  const c = T.sub(z, mu);
  if (skipRms) return c;
  const ms = T.maximum(T.mean(T.square(c), 1, true), 1e-24);
  return T.div(c, T.add(T.sqrt(ms), eps));
};

export const normalize: Stage<NormalizeInput, NormalizeOutput> = engineStage('normalize', ({ z, targets, shift }, env) => {
  const c = env.config;
  const flat = targets.flat();
  const sizes = targets.map((t) => t.length);
  const mu =
    shift._tag === 'Weights'
      ? T.reshape(shift.mu, [flat.length, 1])
      : transportShift(z, shift.anchor, targets, shift.transport, c.shift, c.detachShift, c.transport.cost, c.shiftStrength);
  return { zTilde: rmsNormalize(T.gather(z, flat), mu, c.normEps, c.skipRms), mu, sizes };
});
