/**
 * compare.json's numbers from the runs' records: per variant and split, mean ± std over seeds;
 * per variant, the paired differences against the baseline (held-out: the mean of the last N
 * validations; train: the final step); with test-time identity matching where every run has it,
 * taken against the baseline WITHOUT matching.
 */
import type { Axes, CompareResult } from '../../report/index.js';
import type { VaMetrics } from '../../train/evaluate.js';
import type { RunRecord } from './reuse.js';
import { averageLast, axes, pairedStat } from './stats.js';
import type { AxisDiffs } from './variant-table.js';
import type { Variant } from './variants.js';

const METRIC_NAMES = ['rmse', 'sagr', 'pcc', 'ccc'] as const;
type Axis = 'valence' | 'arousal';

export const summarize = (records: Record<string, RunRecord[]>, variants: readonly Variant[], seeds: readonly number[], averageN: number) => {
  const heldOf = (r: RunRecord) => averageLast(r.validations, averageN, r.heldOut);
  const first = variants[0].name;
  const result: CompareResult = {
    seeds: [...seeds],
    heldOut: { elim: axes(records[first].map(heldOf)), baseline: axes(records.baseline.map(heldOf)) },
    train: { elim: axes(records[first].map((r) => r.train)), baseline: axes(records.baseline.map((r) => r.train)) },
  };
  /** Paired differences name - baseline of `pick` (and `pickBase` on the baseline's side) per axis and metric. */
  const diffs = (name: string, pick: (r: RunRecord) => VaMetrics, pickBase = pick): AxisDiffs => {
    const axis = (a: Axis) =>
      Object.fromEntries(
        METRIC_NAMES.map((m) => [
          m,
          pairedStat(
            records[name].map((r) => pick(r)[a][m]),
            records.baseline.map((r) => pickBase(r)[a][m]),
          ),
        ]),
      );
    return { valence: axis('valence'), arousal: axis('arousal') };
  };
  // test-time identity matching: present when every run of the variant has it (runs written before it existed lack it)
  const hasMatched = (name: string) => records[name].every((r) => r.heldOutMatched);
  const matched = (r: RunRecord) => r.heldOutMatched!;
  const matchedOf = (name: string): { heldOutMatched?: Axes } => (hasMatched(name) ? { heldOutMatched: axes(records[name].map(matched)) } : {});
  const matchedDiffOf = (name: string): { heldOutMatched?: AxisDiffs } => (hasMatched(name) ? { heldOutMatched: diffs(name, matched, heldOf) } : {});
  const variantResults = Object.fromEntries(
    variants.map((v) => [
      v.name,
      {
        options: v.overrides,
        method: v.method,
        heldOut: axes(records[v.name].map(heldOf)),
        train: axes(records[v.name].map((r) => r.train)),
        ...matchedOf(v.name),
      },
    ]),
  );
  const differences = Object.fromEntries(
    variants.map((v) => [v.name, { heldOut: diffs(v.name, heldOf), train: diffs(v.name, (r) => r.train), ...matchedDiffOf(v.name) }]),
  );
  const baselineMatched = hasMatched('baseline')
    ? { heldOutMatched: axes(records.baseline.map(matched)), heldOutMatchedDiff: matchedDiffOf('baseline').heldOutMatched }
    : {};
  return { result, variantResults, differences, baselineMatched };
};
