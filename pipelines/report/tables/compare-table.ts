/**
 * ELIM against the baseline as an aligned text table: for each split (held-out identities
 * first, since that is the claim), each metric and axis, mean ± std over seeds for both
 * models, the paired difference ELIM - baseline (per seed, then mean ± std), its t = mean / SE
 * (SE = std / sqrt(seeds)) and which model is better: a side wins only where the mean paired
 * difference lies beyond 2 standard errors of zero (issue #15); anything closer is a tie, so the
 * table never names a winner the seeds cannot tell apart.
 */
import { AXES, higherIsBetter, METRICS, type CompareResult, type MetricName, type Split, type Stat } from '../types.js';
import { fmtMeanStd, fmtSignedMeanStd } from './format-number.js';
import { pairedDifferences } from './stats.js';
import { textTable } from './text-table.js';

export interface CompareTableOptions {
  readonly decimals?: number;
  readonly title?: string;
  /** Which splits to print, in order; default held-out then training. */
  readonly splits?: readonly ('heldOut' | 'train')[];
}

const METRIC_LABEL: Record<MetricName, string> = { rmse: 'RMSE', sagr: 'SAGR', pcc: 'PCC', ccc: 'CCC' };
const SPLIT_LABEL = { heldOut: 'Held-out identities', train: 'Training identities' } as const;

/** The paired difference when both sides have per-seed values; else the difference of means, std and SE unknown. */
export const statDifference = (a: Stat, b: Stat): { mean: number; std: number; stderr: number; n: number } => {
  if (a.values.length > 0 && a.values.length === b.values.length) {
    const d = pairedDifferences(a.values, b.values);
    return { mean: d.mean, std: d.std, stderr: d.stderr, n: d.values.length };
  }
  return { mean: a.mean - b.mean, std: NaN, stderr: NaN, n: 0 };
};

/** How many standard errors a paired difference must clear to count as a win. */
export const SIGNIFICANCE_SE = 2;

/**
 * True when the mean paired difference lies beyond SIGNIFICANCE_SE standard errors of zero.
 * Needs at least 2 pairs (one seed has no spread to judge by); a zero SE with a non-zero mean
 * (every seed moved by the same amount) counts.
 */
export const significant = (d: { mean: number; stderr: number; n: number }): boolean =>
  d.n >= 2 && Number.isFinite(d.mean) && Number.isFinite(d.stderr) && Math.abs(d.mean) > SIGNIFICANCE_SE * d.stderr;

/**
 * Winner only where the paired difference is significant; a difference that prints as zero is a
 * tie too, so the table never contradicts itself.
 */
const verdict = (m: MetricName, d: { mean: number; stderr: number; n: number }, dec: number): string => {
  if (!Number.isFinite(d.mean)) return 'n/a';
  if (Number(d.mean.toFixed(dec)) === 0 || !significant(d)) return 'tie';
  return d.mean > 0 === higherIsBetter(m) ? 'ELIM' : 'baseline';
};

const tOf = (d: { mean: number; stderr: number }): string =>
  !Number.isFinite(d.stderr) ? 'n/a' : d.stderr === 0 ? (d.mean === 0 ? '0.0' : d.mean > 0 ? 'inf' : '-inf') : (d.mean / d.stderr).toFixed(1);

const splitTable = (split: Split, dec: number): string => {
  const header = ['metric', 'axis', 'ELIM', 'baseline', 'diff (ELIM-base)', 't', `better (>${SIGNIFICANCE_SE} SE)`];
  const rows: string[][] = [];
  for (const m of METRICS) {
    for (const ax of AXES) {
      const e = split.elim[ax][m],
        b = split.baseline[ax][m];
      const d = statDifference(e, b);
      rows.push([
        `${METRIC_LABEL[m]} ${higherIsBetter(m) ? '(^)' : '(v)'}`,
        ax,
        fmtMeanStd(e.mean, e.std, dec),
        fmtMeanStd(b.mean, b.std, dec),
        fmtSignedMeanStd(d.mean, d.std, dec),
        tOf(d),
        verdict(m, d, dec),
      ]);
    }
  }
  return textTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'left']);
};

export const formatCompareTable = (result: CompareResult, opts: CompareTableOptions = {}): string => {
  const dec = opts.decimals ?? 3;
  const seeds = result.seeds;
  const head = [
    opts.title ?? `ELIM vs baseline over ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${seeds.join(', ')})`,
    `n = ${seeds.length} paired seed${seeds.length === 1 ? '' : 's'}; mean ± std over seeds; diff = ELIM - baseline paired by seed; t = mean / SE, SE = std / sqrt(n);`,
    `a side is better only where |diff| > ${SIGNIFICANCE_SE} SE (else tie; one seed is always a tie); (^) higher is better, (v) lower is better`,
  ];
  const parts = (opts.splits ?? ['heldOut', 'train']).map((k) => `${SPLIT_LABEL[k]}\n${splitTable(result[k], dec)}`);
  return [...head, '', parts.join('\n\n')].join('\n') + '\n';
};
