/** Laws of the group stage: the drawn groups partition the drawn samples and respect keys. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../lib/rng/rng.js';
import { groupDomains } from '../pipelines/stages/group.js';

const SEED = 20221;
const params = { seed: SEED, numRuns: 200, verbose: 1 } as const;

const batch = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 0, maxLength: 60 });

describe('group (property)', () => {
  it('groups are disjoint, key-pure, whole, and cover the batch when N >= domains', () => {
    fc.assert(
      fc.property(batch, fc.integer({ min: 2, max: 15 }), fc.integer(), (keys, n, seed) => {
        const out = groupDomains(keys, n, 'drop', Rng.fromSeed(seed));
        const domains = new Set(keys).size;
        const multi = [...new Set(keys)].filter((k) => keys.filter((x) => x === k).length >= 2);
        if (out._tag === 'Skipped') return multi.length < 2 || domains < 2;
        const groups = [out.anchor, ...out.targets];
        const seen = new Set<number>();
        for (const g of groups) {
          for (const i of g.indices) {
            if (keys[i] !== g.key || seen.has(i)) return false;
            seen.add(i);
          }
          if (g.indices.length !== keys.filter((k) => k === g.key).length) return false; // whole domain
        }
        const expected = Math.min(n, multi.length);
        if (groups.length !== expected) return false;
        // when every usable domain is drawn, the groups partition the usable samples
        return expected < multi.length || seen.size === keys.filter((k) => multi.includes(k)).length;
      }),
      params,
    );
  });

  it('duplicate policy: every domain usable, singletons appear twice, keys respected', () => {
    fc.assert(
      fc.property(batch, fc.integer({ min: 2, max: 15 }), fc.integer(), (keys, n, seed) => {
        const out = groupDomains(keys, n, 'duplicate', Rng.fromSeed(seed));
        const domains = new Set(keys).size;
        if (out._tag === 'Skipped') return domains < 2;
        const groups = [out.anchor, ...out.targets];
        expect(groups.length).toBe(Math.min(n, domains));
        expect(new Set(groups.map((g) => g.key)).size).toBe(groups.length);
        return groups.every((g) => g.indices.length >= 2 && g.indices.every((i) => keys[i] === g.key) && g.duplicated === (new Set(g.indices).size === 1));
      }),
      params,
    );
  });

  it('the same stream gives the same draw', () => {
    fc.assert(
      fc.property(batch, fc.integer(), (keys, seed) => {
        expect(groupDomains(keys, 4, 'duplicate', Rng.fromSeed(seed))).toEqual(groupDomains(keys, 4, 'duplicate', Rng.fromSeed(seed)));
      }),
      { ...params, numRuns: 50 },
    );
  });

  it('every domain is the anchor about equally often (a uniform draw)', () => {
    const keys = ['a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'];
    const rng = Rng.fromSeed(SEED);
    const counts = new Map<string, number>();
    for (let t = 0; t < 4000; t++) {
      const out = groupDomains(keys, 2, 'duplicate', rng);
      if (out._tag === 'Grouped') counts.set(out.anchor.key as string, (counts.get(out.anchor.key as string) ?? 0) + 1);
    }
    for (const k of ['a', 'b', 'c', 'd']) expect(Math.abs((counts.get(k) ?? 0) / 4000 - 0.25)).toBeLessThan(0.03);
  });
});
