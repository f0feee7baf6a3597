/** The text of `elim compare`'s variant table (CCC of every variant and the baseline, with paired differences). */
import type { Axes, CompareResult } from '../../report/index.js';
import type { PairedStat } from './stats.js';

/** 0..19 for a run of consecutive seeds, else the list. */
export const seedsLabel = (s: readonly number[]) =>
  s.length > 2 && s.every((x, i) => i === 0 || x === s[i - 1] + 1) ? `${s[0]}..${s[s.length - 1]}` : s.join(', ');

const f3 = (x: number) => (x >= 0 ? ' ' : '') + x.toFixed(3);
export type AxisDiffs = Record<'valence' | 'arousal', Record<string, PairedStat>>;
type Diffs = Record<string, Record<'heldOut' | 'train', AxisDiffs> & { heldOutMatched?: AxisDiffs }>;
type Matched = { heldOutMatched?: Axes };

/** CCC of every variant and the baseline, with paired differences: mean ± std (t = mean / se); '*' where mean > 2 se. */
export const variantTable = (
  variants: Record<string, { heldOut: Axes; train: Axes } & Matched>,
  diffs: Diffs,
  result: CompareResult,
  averageN: number,
  baselineMatched: { heldOutMatched?: Axes; heldOutMatchedDiff?: AxisDiffs } = {},
): string => {
  const cell = (d: PairedStat) => `${f3(d.mean)} ± ${d.std.toFixed(3)} (t ${d.t.toFixed(1)})${d.significant ? '*' : ' '}`;
  const head = ['variant', 'held-out V', 'dV held-out', 'held-out A', 'dA held-out', 'train V', 'dV train', 'train A', 'dA train'];
  // name+ttm: the same runs with test-time identity matching (held-out only), against the baseline without it
  const ttmRow = (name: string, m: Axes, d: AxisDiffs) => [
    `${name}+ttm`,
    f3(m.valence.ccc.mean),
    cell(d.valence.ccc),
    f3(m.arousal.ccc.mean),
    cell(d.arousal.ccc),
    '',
    '',
    '',
    '',
  ];
  const { heldOutMatched: bm, heldOutMatchedDiff: bmDiff } = baselineMatched;
  const rows = [
    [
      'baseline',
      f3(result.heldOut.baseline.valence.ccc.mean),
      '',
      f3(result.heldOut.baseline.arousal.ccc.mean),
      '',
      f3(result.train.baseline.valence.ccc.mean),
      '',
      f3(result.train.baseline.arousal.ccc.mean),
      '',
    ],
    ...(bm && bmDiff ? [ttmRow('baseline', bm, bmDiff)] : []),
    ...Object.entries(variants).flatMap(([name, v]) => {
      const d = diffs[name];
      const row = [
        name,
        f3(v.heldOut.valence.ccc.mean),
        cell(d.heldOut.valence.ccc),
        f3(v.heldOut.arousal.ccc.mean),
        cell(d.heldOut.arousal.ccc),
        f3(v.train.valence.ccc.mean),
        cell(d.train.valence.ccc),
        f3(v.train.arousal.ccc.mean),
        cell(d.train.arousal.ccc),
      ];
      return v.heldOutMatched && d.heldOutMatched ? [row, ttmRow(name, v.heldOutMatched, d.heldOutMatched)] : [row];
    }),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [
    `CCC per variant (held-out: mean of the last ${averageN} validation(s); train: final step; +ttm: the same runs with test-time identity matching, held-out at the final step); d = paired difference variant - baseline (without matching) over ${result.seeds.length} seeds, mean ± std (t = mean/se), * = |mean| > 2 se (significant, either sign)`,
    line(head),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...rows.map(line),
  ].join('\n');
};
