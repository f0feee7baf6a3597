/**
 * A quick check that the synthetic benchmark carries an identity shortcut, without the engine:
 * closed-form ridge regression from raw downsampled pixels to VA, fitted on the training
 * identities' early frames, scored by CCC on (a) those fitted frames, (b) the same identities'
 * later frames, (c) the held-out identities. A shortcut shows as (a), (b) well above (c).
 */
import { ccc } from '../../lib/metrics/metrics.js';
import type { InMemoryDataset } from './synthetic/synthesize.js';

export interface AxisCcc {
  readonly valence: number;
  readonly arousal: number;
}

export interface RidgeShortcutReport {
  readonly fitted: AxisCcc;
  readonly trainIdentitiesLaterFrames: AxisCcc;
  readonly heldOutIdentities: AxisCcc;
  readonly features: number;
}

/** Concordance correlation: the one definition (lib/metrics), re-exported for this check's callers. */
export { ccc };

/** Box-average each frame's RGB down to `side` x `side`, plus a constant 1 feature (the intercept). */
const features = (ds: InMemoryDataset, i: number, side: number): Float64Array => {
  const S = ds.size,
    f = S / side,
    base = i * S * S * 4;
  const out = new Float64Array(side * side * 3 + 1);
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const cell = (Math.floor(y / f) * side + Math.floor(x / f)) * 3;
      for (let c = 0; c < 3; c++) out[cell + c] += ds.rgba[base + (y * S + x) * 4 + c] / 255 / (f * f);
    }
  out[out.length - 1] = 1;
  return out;
};

/** Solves (X^T X + lambda I) W = X^T Y by Cholesky; W is d x 2. */
const ridgeFit = (X: Float64Array[], Y: [number, number][], lambda: number): Float64Array[] => {
  const d = X[0].length;
  const A = new Float64Array(d * d),
    B = new Float64Array(d * 2);
  for (let n = 0; n < X.length; n++) {
    const x = X[n];
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      for (let j = i; j < d; j++) A[i * d + j] += xi * x[j];
      B[2 * i] += xi * Y[n][0];
      B[2 * i + 1] += xi * Y[n][1];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) A[i * d + j] = A[j * d + i];
    A[i * d + i] += lambda;
  }
  for (let j = 0; j < d; j++) {
    // in-place Cholesky, lower triangle
    let s = A[j * d + j];
    for (let k = 0; k < j; k++) s -= A[j * d + k] ** 2;
    const L = Math.sqrt(s);
    A[j * d + j] = L;
    for (let i = j + 1; i < d; i++) {
      let t = A[i * d + j];
      for (let k = 0; k < j; k++) t -= A[i * d + k] * A[j * d + k];
      A[i * d + j] = t / L;
    }
  }
  return [0, 1].map((c) => {
    const z = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let t = B[2 * i + c];
      for (let k = 0; k < i; k++) t -= A[i * d + k] * z[k];
      z[i] = t / A[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = z[i];
      for (let k = i + 1; k < d; k++) t -= A[k * d + i] * z[k];
      z[i] = t / A[i * d + i];
    }
    return z;
  });
};

const score = (W: Float64Array[], X: Float64Array[], Y: [number, number][]): AxisCcc => {
  const pred = X.map((x) => W.map((w) => x.reduce((s, xi, i) => s + xi * w[i], 0)));
  return {
    valence: ccc(
      Y.map((y) => y[0]),
      pred.map((p) => p[0]),
    ),
    arousal: ccc(
      Y.map((y) => y[1]),
      pred.map((p) => p[1]),
    ),
  };
};

/**
 * `centreByIdentity` (issue #15): every identity's mean feature vector over all its frames (no
 * labels needed) is subtracted from its frames' features, for training and held-out identities
 * alike: identity normalisation in pixel space, the closed-form analogue of test-time identity
 * matching, to see where removing the identity mean can help a read-out that does read expression.
 */
export const ridgeShortcutCheck = (
  ds: InMemoryDataset,
  o: { side?: number; lambda?: number; fitFraction?: number; centreByIdentity?: boolean } = {},
): RidgeShortcutReport => {
  const side = o.side ?? 16,
    lambda = o.lambda ?? 1,
    frac = o.fitFraction ?? 0.75;
  const feats = ds.records.map((_, i) => features(ds, i, side));
  if (o.centreByIdentity) {
    const byId = new Map<string, number[]>();
    ds.records.forEach((r, i) => byId.set(r.identity, [...(byId.get(r.identity) ?? []), i]));
    for (const rows of byId.values()) {
      const m = new Float64Array(feats[0].length);
      for (const r of rows) feats[r].forEach((v, k) => (m[k] += v / rows.length));
      for (const r of rows) for (let k = 0; k < m.length - 1; k++) feats[r][k] -= m[k]; // the intercept stays 1
    }
  }
  const train = new Set(ds.trainIdentities);
  const cut = Math.floor(ds.options.frames * frac);
  const parts = { fit: [] as number[], later: [] as number[], held: [] as number[] };
  ds.records.forEach((r, i) => (train.has(r.identity) ? (r.frame! < cut ? parts.fit : parts.later) : parts.held).push(i));
  const XY = (idx: number[]) => ({ X: idx.map((i) => feats[i]), Y: idx.map((i) => [ds.records[i].valence, ds.records[i].arousal] as [number, number]) });
  const fit = XY(parts.fit),
    later = XY(parts.later),
    held = XY(parts.held);
  const W = ridgeFit(fit.X, fit.Y, lambda);
  return {
    fitted: score(W, fit.X, fit.Y),
    trainIdentitiesLaterFrames: score(W, later.X, later.Y),
    heldOutIdentities: score(W, held.X, held.Y),
    features: fit.X[0].length,
  };
};
