import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../lib/rng/rng.js';
import { groupDomains, group, indexByKey } from './group.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());

const rng = () => Rng.fromSeed(3);

describe('group', () => {
  it('indexes keys in order of first appearance', () => {
    expect(indexByKey(['b', 'a', 'b', 'c', 'a'])).toEqual([
      { key: 'b', indices: [0, 2] },
      { key: 'a', indices: [1, 4] },
      { key: 'c', indices: [3] },
    ]);
  });

  it('draws min(N, domains) distinct domains, anchor first', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `id${i % 8}`);
    const out = groupDomains(keys, 5, 'duplicate', rng());
    expect(out._tag).toBe('Grouped');
    if (out._tag !== 'Grouped') return;
    expect(out.targets).toHaveLength(4);
    const picked = [out.anchor, ...out.targets].map((g) => g.key);
    expect(new Set(picked).size).toBe(5);
    const all = groupDomains(keys, 10, 'duplicate', rng());
    expect(all._tag === 'Grouped' && all.targets.length).toBe(7);
  });

  it('one identity in the batch is a Skipped outcome, not an error', () => {
    expect(groupDomains(['a', 'a', 'a'], 10, 'duplicate', rng())).toEqual({ _tag: 'Skipped', reason: 'single-domain', domainsInBatch: 1 });
    expect(groupDomains([], 10, 'duplicate', rng())).toEqual({ _tag: 'Skipped', reason: 'empty-batch', domainsInBatch: 0 });
  });

  it('duplicates singletons (release) or drops them', () => {
    const keys = ['a', 'b', 'c'];
    const dup = groupDomains(keys, 10, 'duplicate', rng());
    expect(dup._tag).toBe('Grouped');
    if (dup._tag === 'Grouped') {
      expect(dup.duplicated).toBe(3);
      for (const g of [dup.anchor, ...dup.targets]) expect(g.indices).toEqual([keys.indexOf(g.key as string), keys.indexOf(g.key as string)]);
    }
    expect(groupDomains(keys, 10, 'drop', rng())).toEqual({ _tag: 'Skipped', reason: 'too-few-matchable-domains', domainsInBatch: 3 });
    const mixed = groupDomains(['a', 'a', 'b', 'c', 'c'], 10, 'drop', rng());
    expect(mixed._tag === 'Grouped' && [mixed.anchor, ...mixed.targets].map((g) => g.key).sort()).toEqual(['a', 'c']);
  });

  it('the stage reads N and the singleton policy from Env', () => {
    const keys = [1, 1, 2, 2, 3, 3];
    const two = group({ keys, rng: Rng.fromSeed(1) })(testEnv({ domains: 2 }));
    expect(E.isRight(two) && two.right._tag === 'Grouped' && two.right.targets.length).toBe(1);
    const dropped = group({ keys: [1, 2, 3, 3], rng: Rng.fromSeed(1) })(testEnv({ domains: 3, singletons: 'drop' }));
    expect(E.isRight(dropped) && dropped.right._tag).toBe('Skipped');
  });
});
