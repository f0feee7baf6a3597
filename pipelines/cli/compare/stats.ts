/**
 * The numbers of `elim compare`: mean ± std over seeds of each metric, the mean over the last N
 * validations, and the paired differences variant - baseline per seed with their standard
 * error and t (the report's pairedDifferences, in compare.json's field names).
 */
import { pairedDifferences, significant, type Axes, type MetricSet, type Stat } from '../../report/index.js';
import type { VaMetrics } from '../../train/evaluate.js';

export interface PairedStat {
  readonly mean: number;
  readonly std: number;
  /** Standard error of the mean paired difference: std / sqrt(n) (0 for one seed). */
  readonly se: number;
  /** mean / se (0 when se is 0). */
  readonly t: number;
  /** |mean| > 2 se with at least 2 seeds (the table's win rule). */
  readonly significant: boolean;
  readonly values: number[];
}

/** Paired differences a_i - b_i over seeds (the report's one helper), in compare.json's field names. */
export const pairedStat = (a: readonly number[], b: readonly number[]): PairedStat => {
  const d = pairedDifferences(a, b);
  const se = d.values.length > 1 ? d.stderr : 0;
  return {
    mean: d.mean,
    std: d.std,
    se,
    t: se > 0 ? d.mean / se : 0,
    significant: significant({ mean: d.mean, stderr: se, n: d.values.length }),
    values: d.values,
  };
};

/** Mean over the last n validations of each metric (n = 1: the final validation). */
export const averageLast = (validations: ReadonlyArray<{ readonly metrics: VaMetrics }>, n: number, fallback: VaMetrics): VaMetrics => {
  const last = validations.slice(-n);
  if (last.length === 0) return fallback;
  const avg = (axis: 'valence' | 'arousal', m: 'rmse' | 'sagr' | 'pcc' | 'ccc') => last.reduce((a, v) => a + v.metrics[axis][m], 0) / last.length;
  const axisOf = (axis: 'valence' | 'arousal') => ({ rmse: avg(axis, 'rmse'), sagr: avg(axis, 'sagr'), pcc: avg(axis, 'pcc'), ccc: avg(axis, 'ccc') });
  return { valence: axisOf('valence'), arousal: axisOf('arousal') } as VaMetrics;
};

export const stat = (values: number[]): Stat => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std, values };
};

export const axes = (ms: VaMetrics[]): Axes => {
  const set = (axis: 'valence' | 'arousal'): MetricSet => ({
    rmse: stat(ms.map((m) => m[axis].rmse)),
    sagr: stat(ms.map((m) => m[axis].sagr)),
    pcc: stat(ms.map((m) => m[axis].pcc)),
    ccc: stat(ms.map((m) => m[axis].ccc)),
  });
  return { valence: set('valence'), arousal: set('arousal') };
};
