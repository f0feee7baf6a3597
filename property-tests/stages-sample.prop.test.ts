/** Laws of the sample stage (Gumbel top-k on label norms). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../lib/rng/rng.js';
import { gumbelTopK, labelLogProbs, sampleGroups } from '../pipelines/stages/sample.js';
import type { Group } from '../pipelines/stages/group.js';

const SEED = 4242;
const params = { seed: SEED, numRuns: 200, verbose: 1 } as const;
const label = fc.float({ min: Math.fround(-1), max: Math.fround(1), noNaN: true });

describe('sample (property)', () => {
  it('top-k returns min(k, n) distinct in-group positions, g finite and in (0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(label, label), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (ys, k, seed) => {
        const labels = ys.flat();
        const group: Group = { key: 'x', indices: ys.map((_, i) => i), duplicated: false };
        const [s] = sampleGroups([group], labels, 'gumbel', k, 0.5, Rng.fromSeed(seed));
        const want = Math.min(k, ys.length);
        return (
          s.positions.length === want &&
          new Set(s.positions).size === want &&
          s.positions.every((p) => Number.isInteger(p) && p >= 0 && p < ys.length) &&
          s.g.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)
        );
      }),
      params,
    );
  });

  it('prefers larger label norms in distribution (inclusion frequency follows the norm order)', () => {
    // norms 0.1, 0.2, ..., 0.8; keep 2 of 8, 4000 draws
    const ys = Array.from({ length: 8 }, (_, i) => [(i + 1) / 10, 0]).flat();
    const rng = Rng.fromSeed(SEED);
    const hits = new Array(8).fill(0);
    const lp = labelLogProbs([0, 1, 2, 3, 4, 5, 6, 7], ys);
    for (let t = 0; t < 4000; t++) for (const p of gumbelTopK(lp, 2, 0.5, rng).positions) hits[p]++;
    for (let i = 1; i < 8; i++) expect(hits[i - 1]).toBeLessThan(hits[i] + 120); // monotone up to noise
    expect(hits[7]).toBeGreaterThan(3 * hits[0]);
    // the first pick is exactly proportional to p (Gumbel-max): check the top one alone
    const first = new Array(8).fill(0);
    for (let t = 0; t < 8000; t++) first[gumbelTopK(lp, 1, 0.5, rng).positions[0]]++;
    for (let i = 0; i < 8; i++) expect(Math.abs(first[i] / 8000 - (i + 1) / 36)).toBeLessThan(0.015);
  });

  it('tau never changes which k win (monotone transform of the same noise)', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 2, maxLength: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer(),
        fc.double({ min: 0.05, max: 5, noNaN: true }),
        (vs, k, seed, tau) => {
          const labels = vs.flatMap((v) => [v, 0]);
          const lp = labelLogProbs(
            vs.map((_, i) => i),
            labels,
          );
          const a = gumbelTopK(lp, k, 0.5, Rng.fromSeed(seed)).positions;
          const b = gumbelTopK(lp, k, tau, Rng.fromSeed(seed)).positions;
          expect(b).toEqual(a);
        },
      ),
      { ...params, numRuns: 100 },
    );
  });

  it('max-filling: every group has the largest size and only repeats its last sample', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }), (sizes) => {
        let next = 0;
        const groups: Group[] = sizes.map((n, gi) => ({ key: gi, indices: Array.from({ length: n }, () => next++), duplicated: false }));
        const out = sampleGroups(groups, new Array(2 * next).fill(0.3), 'max-filling', 3, 0.5, Rng.fromSeed(0));
        const size = Math.max(...sizes);
        return out.every((s, gi) => s.positions.length === size && s.positions.every((p, j) => p === Math.min(j, sizes[gi] - 1)));
      }),
      params,
    );
  });
});
