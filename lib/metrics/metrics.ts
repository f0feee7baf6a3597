/**
 * Evaluation metrics per VA axis (appendix §3), population statistics throughout:
 *   RMSE = sqrt(mean (y - yhat)^2)
 *   SAGR = fraction of samples whose signs agree (zero convention below)
 *   PCC  = cov(y, yhat) / (sd_y sd_yhat)
 *   CCC  = 2 cov / (var_y + var_yhat + (mean_y - mean_yhat)^2)
 * Undefined cases get defined values, never NaN:
 *   - prediction identical to the label (even when constant): PCC = CCC = 1;
 *   - otherwise, either side constant (zero variance): PCC = 0 (no linear association can be
 *     measured), and CCC = 0 (its formula gives 0 there: cov = 0, denominator > 0).
 * PCC is clamped to [-1, 1] against rounding, which keeps CCC <= |PCC| <= 1 exact.
 * The release's evaluation differs (unbiased cov over 1/N sds, mean of per-batch RMSEs); these
 * are the textbook definitions.
 */
import * as E from 'fp-ts/lib/Either.js';
import { badMetricParameter, emptyInput, lengthMismatch, nonFiniteValue, type MetricsError } from './errors.js';

/**
 * SAGR's zero convention:
 *  'sign'    (default, the paper's Gamma(sign y, sign yhat)): Math.sign equality, so 0 agrees with 0 only;
 *  'release' (the ELIM release): a zero label never agrees but stays in the denominator;
 *  'nonneg'  : zero counts as positive (y >= 0 agrees with yhat >= 0).
 */
export type SagrZero = 'sign' | 'release' | 'nonneg';

export interface AxisMetrics {
  readonly rmse: number;
  readonly sagr: number;
  readonly pcc: number;
  readonly ccc: number;
}

const mean = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
};

/** Population mean, variance and covariance (two-pass). */
export const moments = (y: ArrayLike<number>, p: ArrayLike<number>) => {
  const my = mean(y);
  const mp = mean(p);
  let vy = 0;
  let vp = 0;
  let cov = 0;
  for (let i = 0; i < y.length; i++) {
    const dy = y[i] - my;
    const dp = p[i] - mp;
    vy += dy * dy;
    vp += dp * dp;
    cov += dy * dp;
  }
  const n = y.length;
  return { my, mp, vy: vy / n, vp: vp / n, cov: cov / n };
};

const identical = (y: ArrayLike<number>, p: ArrayLike<number>) => {
  for (let i = 0; i < y.length; i++) if (y[i] !== p[i]) return false;
  return true;
};

export const rmse = (y: ArrayLike<number>, p: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - p[i]) ** 2;
  return Math.sqrt(s / y.length);
};

const agrees = (y: number, p: number, zero: SagrZero): boolean => {
  if (zero === 'nonneg') return y >= 0 === p >= 0;
  if (zero === 'release' && y === 0) return false;
  return Math.sign(y) === Math.sign(p);
};

export const sagr = (y: ArrayLike<number>, p: ArrayLike<number>, zero: SagrZero = 'sign'): number => {
  let k = 0;
  for (let i = 0; i < y.length; i++) if (agrees(y[i], p[i], zero)) k++;
  return k / y.length;
};

/** All values equal: tested directly, since the computed variance of a constant can be a rounding residue. */
const isConstant = (x: ArrayLike<number>) => {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
};

export const pcc = (y: ArrayLike<number>, p: ArrayLike<number>): number => {
  if (identical(y, p)) return 1;
  if (isConstant(y) || isConstant(p)) return 0;
  const { vy, vp, cov } = moments(y, p);
  const den = Math.sqrt(vy) * Math.sqrt(vp); // not sqrt(vy vp): the product underflows first
  if (den === 0) return 0;
  return Math.max(-1, Math.min(1, cov / den));
};

export const ccc = (y: ArrayLike<number>, p: ArrayLike<number>): number => {
  if (identical(y, p)) return 1;
  if (isConstant(y) || isConstant(p)) return 0;
  const { my, mp, vy, vp, cov } = moments(y, p);
  const den = vy + vp + (my - mp) ** 2;
  if (den === 0) return 0; // both sides constant-looking after underflow (e.g. subnormal spreads): no agreement measurable
  const c = (2 * cov) / den;
  // keep |CCC| <= |PCC| exactly under rounding
  const r = pcc(y, p);
  return Math.max(-Math.abs(r), Math.min(Math.abs(r), c));
};

export const axisMetrics = (y: ArrayLike<number>, p: ArrayLike<number>, zero: SagrZero = 'sign'): AxisMetrics => ({
  rmse: rmse(y, p),
  sagr: sagr(y, p, zero),
  pcc: pcc(y, p),
  ccc: ccc(y, p),
});

/** Checks one axis: same non-zero length, finite numbers. */
export const checkSeries = (field: string, y: ArrayLike<unknown>, p: ArrayLike<unknown>): E.Either<MetricsError, { y: Float64Array; p: Float64Array }> => {
  if (y.length === 0) return E.left(emptyInput(`${field}.yTrue`));
  if (p.length !== y.length) return E.left(lengthMismatch(`${field}.yPred`, y.length, p.length));
  for (const [name, xs] of [
    ['yTrue', y],
    ['yPred', p],
  ] as const) {
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return E.left(nonFiniteValue(`${field}.${name}`, i, v));
    }
  }
  return E.right({ y: Float64Array.from(y as ArrayLike<number>), p: Float64Array.from(p as ArrayLike<number>) });
};

export const checkSagrZero = (z: unknown): E.Either<MetricsError, SagrZero> =>
  z === undefined
    ? E.right('sign')
    : z === 'sign' || z === 'release' || z === 'nonneg'
      ? E.right(z)
      : E.left(badMetricParameter('sagrZero', `must be 'sign', 'release' or 'nonneg', got ${JSON.stringify(z)}`));

/** Validated metrics of one axis. */
export const metricsE = (field: string, y: ArrayLike<number>, p: ArrayLike<number>, zero?: SagrZero): E.Either<MetricsError, AxisMetrics> =>
  E.flatMap((z: SagrZero) => E.map((s: { y: Float64Array; p: Float64Array }) => axisMetrics(s.y, s.p, z))(checkSeries(field, y, p)))(checkSagrZero(zero));

export interface VaReport {
  readonly valence: AxisMetrics;
  readonly arousal: AxisMetrics;
}

/** Per-axis report from (valence, arousal) columns. */
export const vaReport = (
  yTrue: { valence: ArrayLike<number>; arousal: ArrayLike<number> },
  yPred: { valence: ArrayLike<number>; arousal: ArrayLike<number> },
  zero?: SagrZero,
): E.Either<MetricsError, VaReport> => {
  const v = metricsE('valence', yTrue.valence, yPred.valence, zero);
  if (E.isLeft(v)) return v;
  const a = metricsE('arousal', yTrue.arousal, yPred.arousal, zero);
  if (E.isLeft(a)) return a;
  return E.right({ valence: v.right, arousal: a.right });
};
