/**
 * The few statistics the reports print. Kept local: lib/metrics computes them on tensors
 * during training, while reports work on plain arrays after the fact.
 */
export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** Sample standard deviation (n - 1 denominator); 0 for a single value, NaN for none. */
export const sampleStd = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  if (xs.length === 1) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

export const rmse = (t: readonly number[], p: readonly number[]): number => Math.sqrt(mean(t.map((x, i) => (x - p[i]) ** 2)));

/** Lin's concordance correlation: the one definition (lib/metrics; 1 when equal, 0 when either side is constant). */
export { ccc } from '../../../lib/metrics/metrics.js';

export interface PairedDifferences {
  readonly mean: number;
  readonly std: number;
  readonly stderr: number;
  readonly values: number[];
}

/** a[i] - b[i] per pair (e.g. per seed: ELIM minus baseline), with mean, sample std and standard error. */
export const pairedDifferences = (a: readonly number[], b: readonly number[]): PairedDifferences => {
  if (a.length !== b.length) throw new RangeError(`pairedDifferences: lengths differ (${a.length} vs ${b.length})`);
  const values = a.map((x, i) => x - b[i]);
  const std = sampleStd(values);
  return { mean: mean(values), std, stderr: values.length ? std / Math.sqrt(values.length) : NaN, values };
};
