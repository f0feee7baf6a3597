/**
 * JSON interop for `elim metrics` and `elim loss` (pure: the CLI reads stdin and prints).
 *   runMetricsJson({yTrue: [[v, a], ...], yPred: [[v, a], ...], sagrZero?: 'sign'|'release'|'nonneg'})
 *     -> {valence: {rmse, sagr, pcc, ccc}, arousal: {...}}
 *   runLossJson({labels: [[v, a], ...], scores: [[v, a], ...], std?: 'population'|'unbiased', eps?})
 *     -> {total, mseValence, mseArousal, pccLoss, cccLoss, grad}   (grad = d total / d scores, [N][2], float64)
 * The loss is evaluated by lib/losses/reference.ts (float64, analytic gradient; no backend needed).
 * Malformed input gives an error naming the field.
 */
import * as E from 'fp-ts/lib/Either.js';
import { checkSagrZero, vaReport } from './metrics.js';
import { vaLossReference } from '../losses/reference.js';
import type { MetricsError } from './errors.js';

export interface InteropError {
  readonly _tag: 'InteropError';
  readonly field: string;
  readonly message: string;
}

const interopError = (field: string, message: string): InteropError => ({ _tag: 'InteropError', field, message: `${field}: ${message}` });
const fromMetrics = (e: MetricsError): InteropError => ({ _tag: 'InteropError', field: e.field, message: e.message });
const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** [[v, a], ...] -> columns; every entry a finite number. */
export const vaPairs = (field: string, x: unknown): E.Either<InteropError, { valence: Float64Array; arousal: Float64Array }> => {
  if (!Array.isArray(x)) return E.left(interopError(field, 'must be an array of [valence, arousal] pairs'));
  if (x.length === 0) return E.left(interopError(field, 'is empty'));
  const valence = new Float64Array(x.length);
  const arousal = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const r = x[i];
    if (!Array.isArray(r) || r.length !== 2) return E.left(interopError(`${field}[${i}]`, `must be a [valence, arousal] pair, got ${JSON.stringify(r)}`));
    for (let k = 0; k < 2; k++)
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k]))
        return E.left(interopError(`${field}[${i}][${k}]`, `must be a finite number, got ${JSON.stringify(r[k])}`));
    valence[i] = r[0];
    arousal[i] = r[1];
  }
  return E.right({ valence, arousal });
};

const twoSeries = (input: unknown, t: string, p: string) => {
  if (!isRecord(input)) return E.left(interopError('input', `must be an object {${t}, ${p}, ...}`));
  const y = vaPairs(t, input[t]);
  if (E.isLeft(y)) return y;
  const q = vaPairs(p, input[p]);
  if (E.isLeft(q)) return q;
  if (q.right.valence.length !== y.right.valence.length)
    return E.left(interopError(p, `has ${q.right.valence.length} pairs, ${t} has ${y.right.valence.length}`));
  return E.right({ input, y: y.right, q: q.right });
};

export const runMetricsJson = (input: unknown): E.Either<InteropError, unknown> => {
  const s = twoSeries(input, 'yTrue', 'yPred');
  if (E.isLeft(s)) return s;
  const zero = checkSagrZero(s.right.input.sagrZero);
  if (E.isLeft(zero)) return E.left(fromMetrics(zero.left));
  const r = vaReport(s.right.y, s.right.q, zero.right);
  return E.isLeft(r) ? E.left(fromMetrics(r.left)) : E.right(r.right);
};

export const runLossJson = (input: unknown): E.Either<InteropError, unknown> => {
  const s = twoSeries(input, 'labels', 'scores');
  if (E.isLeft(s)) return s;
  const { y, q } = s.right;
  const std = s.right.input.std;
  if (std !== undefined && std !== 'population' && std !== 'unbiased')
    return E.left(interopError('std', `must be 'population' or 'unbiased', got ${JSON.stringify(std)}`));
  const eps = s.right.input.eps;
  if (eps !== undefined && !(typeof eps === 'number' && eps >= 0 && Number.isFinite(eps)))
    return E.left(interopError('eps', `must be a finite number >= 0, got ${JSON.stringify(eps)}`));
  const n = y.valence.length;
  if (n < 2) return E.left(interopError('labels', 'needs at least 2 samples for correlations'));
  const flat = (c: { valence: Float64Array; arousal: Float64Array }) =>
    Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? c.valence[k >> 1] : c.arousal[k >> 1]));
  const r = vaLossReference(flat(q), flat(y), { std: std as 'population' | 'unbiased' | undefined, eps: eps as number | undefined });
  const grad = Array.from({ length: n }, (_, i) => [r.grad[2 * i], r.grad[2 * i + 1]]);
  return E.right({ total: r.total, mseValence: r.mseValence, mseArousal: r.mseArousal, pccLoss: r.pccLoss, cccLoss: r.cccLoss, grad });
};
