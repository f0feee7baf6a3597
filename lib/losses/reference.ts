/**
 * The baseline VA loss of va-loss.ts in plain float64, with its analytic gradient in the
 * scores: the independent check for the tensor version and the engine-free implementation
 * behind `elim loss` (no backend needed). Per axis, with dx = x - mean x, dy = y - mean y,
 * D = N (population) or N - 1 (unbiased), s2 = var + eps, Q = s2x + s2y + (mx - my)^2:
 *   dMSE/dx_k = 2 (x_k - y_k) / N
 *   dPCC/dx_k = dy_k / (N sx sy) - PCC dx_k / (D s2x)
 *   dCCC/dx_k = 2 dy_k / (N Q) - CCC (2 dx_k / D + 2 (mx - my) / N) / Q
 *   d total/dx_k = dMSE/dx_k - (dPCC/dx_k + dCCC/dx_k) / 4
 */
import { DEFAULT_LOSS_EPS, type VaLossOptions } from './va-loss.js';

export interface AxisLoss {
  readonly mse: number;
  readonly pcc: number;
  readonly ccc: number;
  /** d (MSE - PCC/4 - CCC/4) / d x: this axis's share of d total / d scores. */
  readonly grad: Float64Array;
}

export interface VaLossValues {
  readonly total: number;
  readonly mseValence: number;
  readonly mseArousal: number;
  readonly pccLoss: number;
  readonly cccLoss: number;
  /** d total / d scores, [N][2] flattened row-major. */
  readonly grad: Float64Array;
}

export const axisLoss = (x: ArrayLike<number>, y: ArrayLike<number>, o: VaLossOptions = {}): AxisLoss => {
  const n = x.length;
  const d = o.std === 'unbiased' ? n - 1 : n;
  const eps = o.eps ?? DEFAULT_LOSS_EPS;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let cov = 0;
  let vx = 0;
  let vy = 0;
  let mse = 0;
  for (let i = 0; i < n; i++) {
    cov += (x[i] - mx) * (y[i] - my);
    vx += (x[i] - mx) ** 2;
    vy += (y[i] - my) ** 2;
    mse += (x[i] - y[i]) ** 2;
  }
  cov /= n;
  mse /= n;
  const s2x = vx / d + eps;
  const s2y = vy / d + eps;
  const sxsy = Math.sqrt(s2x * s2y);
  const pcc = cov / sxsy;
  const q = s2x + s2y + (mx - my) ** 2;
  const ccc = (2 * cov) / q;
  const grad = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const dxk = x[k] - mx;
    const dyk = y[k] - my;
    const dMse = (2 * (x[k] - y[k])) / n;
    const dPcc = dyk / (n * sxsy) - (pcc * dxk) / (d * s2x);
    const dCcc = (2 * dyk) / (n * q) - (ccc * ((2 * dxk) / d + (2 * (mx - my)) / n)) / q;
    grad[k] = dMse - (dPcc + dCcc) / 4;
  }
  return { mse, pcc, ccc, grad };
};

/** scores, labels: [N][2] row-major (valence, arousal). */
export const vaLossReference = (scores: ArrayLike<number>, labels: ArrayLike<number>, o: VaLossOptions = {}): VaLossValues => {
  const n = scores.length / 2;
  const col = (xs: ArrayLike<number>, k: number) => Float64Array.from({ length: n }, (_, i) => xs[2 * i + k]);
  const v = axisLoss(col(scores, 0), col(labels, 0), o);
  const a = axisLoss(col(scores, 1), col(labels, 1), o);
  const pccLoss = 1 - (v.pcc + a.pcc) / 2;
  const cccLoss = 1 - (v.ccc + a.ccc) / 2;
  const grad = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    grad[2 * i] = v.grad[i];
    grad[2 * i + 1] = a.grad[i];
  }
  return { total: v.mse + a.mse + 0.5 * (pccLoss + cccLoss), mseValence: v.mse, mseArousal: a.mse, pccLoss, cccLoss, grad };
};
