/**
 * The VA regression losses (appendix §3), built from lib/ops so autodiff gives
 * their gradients on every backend. scores and labels are [N, 2] (column 0 valence, 1 arousal).
 *   MSE per axis = mean (x - y)^2
 *   L_PCC = 1 - (PCC_v + PCC_a)/2,   L_CCC = 1 - (CCC_v + CCC_a)/2
 *   baseline total = MSE_v + MSE_a + 0.5 (L_PCC + L_CCC)
 * Statistics: the covariance is always 1/N; the variances are 1/N ('population', default) or
 * 1/(N-1) ('unbiased', the release's loss, which divides a 1/N covariance by unbiased sds).
 * Zero variance: eps (default 1e-8) is added to each variance before it is used, s2 = var + eps,
 *   PCC = cov / sqrt(s2_x s2_y),  CCC = 2 cov / (s2_x + s2_y + (mean_x - mean_y)^2),
 * so a constant prediction gives PCC = CCC = 0 with finite gradients instead of 0/0 (and the
 * bias on ordinary batches is ~eps / var, negligible for labels with variance ~0.1).
 * reference.ts computes the same numbers and the analytic gradient in plain float64.
 */
import * as T from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { EngineError, fmtShape } from '../errors.js';

export type StdMode = 'population' | 'unbiased';

export interface VaLossOptions {
  readonly std?: StdMode;
  readonly eps?: number;
}

export const DEFAULT_LOSS_EPS = 1e-8;

export interface VaLossTerms {
  readonly total: Tensor;
  readonly mseValence: Tensor;
  readonly mseArousal: Tensor;
  readonly pccLoss: Tensor;
  readonly cccLoss: Tensor;
  /** [2]: PCC and CCC per axis (valence, arousal). */
  readonly pcc: Tensor;
  readonly ccc: Tensor;
}

const checkPair = (op: string, scores: Tensor, labels: Tensor) => {
  if (scores.rank !== 2 || scores.shape[1] !== 2 || labels.rank !== 2 || labels.shape[0] !== scores.shape[0] || labels.shape[1] !== 2) {
    throw new EngineError('ShapeError', op, `scores and labels must both be [N, 2], got ${fmtShape(scores.shape)} and ${fmtShape(labels.shape)}`);
  }
  if (scores.shape[0] < 2) throw new EngineError('ShapeError', op, `needs N >= 2 samples for correlations, got ${scores.shape[0]}`);
};

/** Component k of a [2] vector as a scalar (a one-hot dot keeps it a plain differentiable op). */
const pick = (v: Tensor, k: number): Tensor => T.sum(T.mul(v, T.tensor(k === 0 ? [1, 0] : [0, 1], [2], { dtype: v.dtype, backend: v.backend })));

/** MSE per axis as a [2] tensor. */
export const msePerAxis = (scores: Tensor, labels: Tensor): Tensor => {
  checkPair('msePerAxis', scores, labels);
  return T.mean(T.square(T.sub(scores, labels)), 0);
};

/** PCC and CCC per axis ([2] each), with the eps guard and std mode documented above. */
export const correlations = (scores: Tensor, labels: Tensor, o: VaLossOptions = {}): { pcc: Tensor; ccc: Tensor } => {
  checkPair('correlations', scores, labels);
  const n = scores.shape[0];
  const d = o.std === 'unbiased' ? n - 1 : n;
  const eps = o.eps ?? DEFAULT_LOSS_EPS;
  const mx = T.mean(scores, 0, true);
  const my = T.mean(labels, 0, true);
  const dx = T.sub(scores, mx);
  const dy = T.sub(labels, my);
  const cov = T.mean(T.mul(dx, dy), 0);
  const s2x = T.add(T.div(T.sum(T.square(dx), 0), d), eps);
  const s2y = T.add(T.div(T.sum(T.square(dy), 0), d), eps);
  const pcc = T.div(cov, T.sqrt(T.mul(s2x, s2y)));
  const meanGap = T.square(T.reshape(T.sub(mx, my), [2]));
  const ccc = T.div(T.mul(cov, 2), T.add(T.add(s2x, s2y), meanGap));
  return { pcc, ccc };
};

/** Every term of the baseline objective, each a scalar tensor. */
export const vaLoss = (scores: Tensor, labels: Tensor, o: VaLossOptions = {}): VaLossTerms => {
  const mse = msePerAxis(scores, labels);
  const { pcc, ccc } = correlations(scores, labels, o);
  const mseValence = pick(mse, 0);
  const mseArousal = pick(mse, 1);
  const pccLoss = T.sub(1, T.mean(pcc));
  const cccLoss = T.sub(1, T.mean(ccc));
  const total = T.add(T.add(mseValence, mseArousal), T.mul(T.add(pccLoss, cccLoss), 0.5));
  return { total, mseValence, mseArousal, pccLoss, cccLoss, pcc, ccc };
};
