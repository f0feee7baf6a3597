import { describe, expect, it } from 'vitest';
import type { Axes, CompareResult, MetricSet, Stat } from '../types.js';
import { formatCompareTable, statDifference } from './compare-table.js';
import { fmtSigned } from './format-number.js';
import { flattenConfig, markdownSummary, mdCell } from './markdown-summary.js';
import { pairedDifferences } from './stats.js';
import { textTable } from './text-table.js';

const stat = (values: number[]): Stat => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean: m, std: sd, values };
};
const metricSet = (base: number, shift: number): MetricSet => ({
  rmse: stat([0.4 + base, 0.41 + base, 0.39 + base].map((v) => v - shift)),
  sagr: stat([0.7, 0.72, 0.71].map((v) => v + shift)),
  pcc: stat([0.5, 0.52, 0.49].map((v) => v + shift)),
  ccc: stat([0.45, 0.47, 0.44].map((v) => v + shift)),
});
const axes = (shift: number): Axes => ({ valence: metricSet(0, shift), arousal: metricSet(0.05, shift) });
const compare: CompareResult = {
  seeds: [1, 2, 3],
  heldOut: { elim: axes(0.02), baseline: axes(0) },
  train: { elim: axes(0.001), baseline: axes(0) },
};

describe('pairedDifferences', () => {
  it('subtracts pairwise and reports mean, sample std and standard error', () => {
    const d = pairedDifferences([1, 2, 3, 4], [0.5, 1, 2, 4]);
    expect(d.values).toEqual([0.5, 1, 1, 0]);
    expect(d.mean).toBeCloseTo(0.625, 12);
    const sd = Math.sqrt(((0.5 - 0.625) ** 2 + 2 * (1 - 0.625) ** 2 + 0.625 ** 2) / 3);
    expect(d.std).toBeCloseTo(sd, 12);
    expect(d.stderr).toBeCloseTo(sd / 2, 12);
  });
  it('handles one pair and rejects unequal lengths', () => {
    expect(pairedDifferences([2], [1])).toEqual({ mean: 1, std: 0, stderr: 0, values: [1] });
    expect(() => pairedDifferences([1, 2], [1])).toThrow(RangeError);
  });
  it('statDifference falls back to the difference of means without per-seed values', () => {
    const d = statDifference({ mean: 0.5, std: 0.1, values: [] }, { mean: 0.3, std: 0.1, values: [] });
    expect(d.mean).toBeCloseTo(0.2, 12);
    expect(Number.isNaN(d.std)).toBe(true);
  });
});

describe('formatCompareTable', () => {
  const text = formatCompareTable(compare);
  const lines = text.split('\n');

  it('has both splits, held-out first, with 8 metric rows each', () => {
    const h = lines.indexOf('Held-out identities'),
      t = lines.indexOf('Training identities');
    expect(h).toBeGreaterThan(0);
    expect(t).toBeGreaterThan(h);
    for (const i of [h, t]) {
      const rows = lines.slice(i + 3, i + 11);
      expect(rows.map((r) => r.split(/\s+/).slice(0, 3).join(' '))).toEqual([
        'RMSE (v) valence',
        'RMSE (v) arousal',
        'SAGR (^) valence',
        'SAGR (^) arousal',
        'PCC (^) valence',
        'PCC (^) arousal',
        'CCC (^) valence',
        'CCC (^) arousal',
      ]);
    }
    expect(lines[0]).toContain('3 seeds (1, 2, 3)');
  });

  it('aligns columns: every header/rule/row of a split has the same column starts', () => {
    const h = lines.indexOf('Held-out identities');
    const block = lines.slice(h + 1, h + 11); // header, rule, 8 rows
    const rule = block[1];
    expect(rule).toMatch(/^-+( {2}-+)+$/);
    const starts = [...rule.matchAll(/-+/g)].map((m) => m.index!);
    const ends = [...rule.matchAll(/-+/g)].map((m) => m.index! + m[0].length);
    for (const row of block.slice(2)) {
      // right-aligned numeric columns (2, 3, 4) end exactly at the rule's column ends
      for (const j of [2, 3, 4, 5]) expect(row[ends[j] - 1]).toMatch(/[0-9af]/);
      // left-aligned text columns start at the rule's column starts
      for (const j of [0, 1, 6]) expect(row[starts[j]]).toMatch(/\S/);
    }
  });

  it('prints 3 decimals, ± std, and signed paired differences', () => {
    const h = lines.indexOf('Held-out identities');
    const rmseV = lines[h + 3];
    expect(rmseV).toMatch(/^RMSE \(v\)\s+valence\s+0\.380 ± 0\.010\s+0\.400 ± 0\.010\s+-0\.020 ± 0\.000\s+-inf\s+ELIM$/);
    const cccA = lines[h + 10];
    expect(cccA).toMatch(/^CCC \(\^\)\s+arousal\s+0\.473 ± 0\.015\s+0\.453 ± 0\.015\s+\+0\.020 ± 0\.000\s+inf\s+ELIM$/);
    for (const l of lines.filter((x) => /\d ± \d/.test(x))) {
      for (const num of l.match(/[+-]?\d+\.\d+/g)!) expect(num.split('.')[1].length).toBe(3);
    }
  });

  it('calls a difference that prints as zero a tie', () => {
    const same: CompareResult = { ...compare, heldOut: { elim: axes(0.0001), baseline: axes(0) } };
    const rows = formatCompareTable(same, { splits: ['heldOut'] })
      .split('\n')
      .filter((l) => /^(RMSE|SAGR|PCC|CCC)/.test(l));
    expect(rows.length).toBe(8);
    for (const r of rows) expect(r).toMatch(/\+0\.000 ± 0\.000\s+\S+\s+tie$/);
  });

  it('names a winner only beyond 2 standard errors of the paired differences, and prints n', () => {
    // ELIM - baseline = +0.026 ± 0.136 over 3 seeds (the main job's old "ELIM" row): t = 0.33, a tie
    const noisy = (vals: number[]) => ({ mean: vals.reduce((a, b) => a + b, 0) / vals.length, std: 0, values: vals });
    const base = [0.1, 0.2, 0.3];
    const d = [0.18, -0.13, 0.028];
    const mk = (e: number[], b: number[]): CompareResult => {
      const ax = (vals: number[]) => ({ rmse: noisy(vals), sagr: noisy(vals), pcc: noisy(vals), ccc: noisy(vals) });
      return { seeds: [0, 1, 2], heldOut: { elim: { valence: ax(e), arousal: ax(e) }, baseline: { valence: ax(b), arousal: ax(b) } }, train: compare.train };
    };
    const tie = formatCompareTable(
      mk(
        base.map((b, i) => b + d[i]),
        base,
      ),
      { splits: ['heldOut'] },
    );
    expect(tie.split('\n')[1]).toMatch(/^n = 3 paired seeds/);
    const cccV = tie.split('\n').find((l) => /^CCC \(\^\)\s+valence/.test(l))!;
    expect(cccV).toMatch(/\+0\.026 ± 0\.155\s+0\.3\s+tie$/);
    // the same mean with a small spread (t = 8.7) is a win
    const tight = formatCompareTable(
      mk(
        base.map((b, i) => b + [0.02, 0.03, 0.028][i]),
        base,
      ),
      { splits: ['heldOut'] },
    );
    expect(tight.split('\n').find((l) => /^CCC \(\^\)\s+valence/.test(l))).toMatch(/\+0\.026 ± 0\.005\s+8\.\d\s+ELIM$/);
    // one seed has no spread to judge by: always a tie
    const one: CompareResult = { seeds: [0], heldOut: { elim: axes(0.5), baseline: axes(0) }, train: compare.train };
    const oneRows = formatCompareTable(
      {
        ...one,
        heldOut: {
          elim: { valence: { ...axes(0.5).valence, ccc: noisy([0.9]) }, arousal: axes(0.5).arousal },
          baseline: { valence: { ...axes(0).valence, ccc: noisy([0.1]) }, arousal: axes(0).arousal },
        },
      },
      { splits: ['heldOut'] },
    );
    expect(oneRows.split('\n').find((l) => /^CCC \(\^\)\s+valence/.test(l))).toMatch(/tie$/);
  });

  it('honours decimals and split selection', () => {
    const t = formatCompareTable(compare, { decimals: 2, splits: ['train'] });
    expect(t).not.toContain('Held-out');
    expect(t).toContain('0.40 ± 0.01');
  });
});

describe('formatting helpers', () => {
  it('fmtSigned always signs, never prints -0.000', () => {
    expect(fmtSigned(0.0123)).toBe('+0.012');
    expect(fmtSigned(-0.0123)).toBe('-0.012');
    expect(fmtSigned(-0.0001)).toBe('+0.000');
    expect(fmtSigned(NaN)).toBe('n/a');
  });
  it('textTable pads to the widest cell', () => {
    const t = textTable(
      ['a', 'num'],
      [
        ['long text', '1.5'],
        ['x', '10.25'],
      ],
      ['left', 'right'],
    ).split('\n');
    expect(t[0]).toBe('a            num');
    expect(t[1]).toBe('---------  -----');
    expect(t[2]).toBe('long text    1.5');
    expect(t[3]).toBe('x          10.25');
  });
});

describe('markdownSummary', () => {
  const md = markdownSummary({
    title: 'ELIM run seed 1',
    config: { model: 'elim', lr: 1e-3, ot: { epsilon: 0.05, iterations: 100 }, note: 'a|b' },
    final: [{ split: 'held-out', valence: { rmse: 0.4, sagr: 0.7, pcc: 0.5, ccc: 0.45 }, arousal: { rmse: 0.35, sagr: 0.75, pcc: 0.4, ccc: 0.38 } }],
    perIdentity: [
      { identity: 's1', rmseV: 0.2, rmseA: 0.2, n: 10 },
      { identity: 's2', rmseV: 0.5, rmseA: 0.4, n: 12, cccV: 0.1, cccA: 0.2 },
    ],
    compare,
    plots: [
      { title: 'Loss curves', file: 'loss-curves.png' },
      { title: 't-SNE', file: 'tsne.png' },
    ],
  });

  it('has the sections in order', () => {
    const heads = md.split('\n').filter((l) => l.startsWith('#'));
    expect(heads).toEqual([
      '# ELIM run seed 1',
      '## Configuration',
      '## Final metrics',
      '## ELIM vs baseline',
      '## Per-identity errors (worst first)',
      '## Plots',
      '### Loss curves',
      '### t-SNE',
    ]);
  });
  it('flattens config, escapes pipes, formats metrics, sorts identities, links plots', () => {
    expect(md).toContain('| ot.epsilon | 0.05 |');
    expect(md).toContain('| note | a\\|b |');
    expect(md).toContain('| held-out | valence | 0.400 | 0.700 | 0.500 | 0.450 |');
    expect(md.indexOf('| s2 |')).toBeLessThan(md.indexOf('| s1 |'));
    expect(md).toContain('| s1 | 10 | 0.200 | 0.200 |  |  |');
    expect(md).toContain('[loss-curves.png](loss-curves.png)');
    expect(md).toContain('![t-SNE](tsne.png)');
    expect(md).toContain('```text\nELIM vs baseline over 3 seeds');
  });
  it('a title alone is a valid summary', () => {
    expect(markdownSummary({ title: 'empty' })).toBe('# empty\n');
  });
  it('helpers', () => {
    expect(mdCell('a|b\nc')).toBe('a\\|b c');
    expect(flattenConfig({ a: { b: { c: 1 } }, d: [1, 2], e: null })).toEqual([
      ['a.b.c', '1'],
      ['d', '[1,2]'],
      ['e', 'null'],
    ]);
  });
});
