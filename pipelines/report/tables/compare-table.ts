/**
 * ELIM against the baseline as an aligned text table: for each split (held-out identities
 * first, since that is the claim), each metric and axis, mean ± std over seeds for both
 * models, the paired difference ELIM - baseline (per seed, then mean ± std) and which model
 * is better by the mean of that difference.
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

/** The paired difference when both sides have per-seed values; else the difference of means, std unknown. */
export const statDifference = (a: Stat, b: Stat): { mean: number; std: number } => {
  if (a.values.length > 0 && a.values.length === b.values.length) {
    const d = pairedDifferences(a.values, b.values);
    return { mean: d.mean, std: d.std };
  }
  return { mean: a.mean - b.mean, std: NaN };
};

/** Winner by the mean difference; a difference that prints as zero is a tie, so the table never contradicts itself. */
const verdict = (m: MetricName, diff: number, dec: number): string => {
  if (!Number.isFinite(diff)) return 'n/a';
  if (Number(diff.toFixed(dec)) === 0) return 'tie';
  return (diff > 0) === higherIsBetter(m) ? 'ELIM' : 'baseline';
};

const splitTable = (split: Split, dec: number): string => {
  const header = ['metric', 'axis', 'ELIM', 'baseline', 'diff (ELIM-base)', 'better'];
  const rows: string[][] = [];
  for (const m of METRICS) {
    for (const ax of AXES) {
      const e = split.elim[ax][m], b = split.baseline[ax][m];
      const d = statDifference(e, b);
      rows.push([
        `${METRIC_LABEL[m]} ${higherIsBetter(m) ? '(^)' : '(v)'}`,
        ax,
        fmtMeanStd(e.mean, e.std, dec),
        fmtMeanStd(b.mean, b.std, dec),
        fmtSignedMeanStd(d.mean, d.std, dec),
        verdict(m, d.mean, dec),
      ]);
    }
  }
  return textTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'left']);
};

export const formatCompareTable = (result: CompareResult, opts: CompareTableOptions = {}): string => {
  const dec = opts.decimals ?? 3;
  const seeds = result.seeds;
  const head = [
    opts.title ?? `ELIM vs baseline over ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${seeds.join(', ')})`,
    'mean ± std over seeds; diff = ELIM - baseline paired by seed; (^) higher is better, (v) lower is better',
  ];
  const parts = (opts.splits ?? ['heldOut', 'train']).map((k) => `${SPLIT_LABEL[k]}\n${splitTable(result[k], dec)}`);
  return [...head, '', parts.join('\n\n')].join('\n') + '\n';
};
