import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../lib/rng/rng.js';
import type { Group } from './group.js';
import { gumbelTopK, keptIndices, labelLogProbs, sampleGroups, sample } from './sample.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());

const g = (key: string, indices: number[]): Group => ({ key, indices, duplicated: false });

describe('sample', () => {
  it('guards log 0 and treats an all-zero group as uniform', () => {
    const labels = [0, 0, 0.3, 0.4, 0, 0];
    const lp = labelLogProbs([0, 1, 2], labels);
    expect(lp[1]).toBeCloseTo(0);
    expect(lp[0]).toBe(-1e30);
    expect(lp.every(Number.isFinite)).toBe(true);
    expect(labelLogProbs([0, 2], labels)).toEqual([-Math.log(2), -Math.log(2)]);
  });

  it('all labels zero: still k distinct samples, no NaN', () => {
    const labels = new Float32Array(20);
    const [s] = sampleGroups([g('a', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], labels, 'gumbel', 4, 0.5, Rng.fromSeed(2));
    expect(new Set(s.positions).size).toBe(4);
    expect(s.g.every(Number.isFinite)).toBe(true);
  });

  it('zero-norm samples are taken only after every non-zero one', () => {
    const labels = [0, 0, 0.01, 0, 0, 0, 0.02, 0.01];
    for (let seed = 0; seed < 30; seed++) {
      const { positions } = gumbelTopK(labelLogProbs([0, 1, 2, 3], labels), 2, 0.5, Rng.fromSeed(seed));
      expect(positions.sort()).toEqual([1, 3]);
    }
  });

  it('k larger than every group keeps each whole group', () => {
    const labels = Array.from({ length: 14 }, (_, i) => (i % 5) / 5);
    const out = sampleGroups([g('a', [0, 1, 2]), g('b', [3, 4, 5, 6])], labels, 'gumbel', 50, 0.5, Rng.fromSeed(1));
    expect(out.map((s) => [...s.positions].sort())).toEqual([
      [0, 1, 2],
      [0, 1, 2, 3],
    ]);
  });

  it('max-filling pads to the largest group by repeating the last sample; none keeps all', () => {
    const labels = new Array(12).fill(0.5);
    const groups = [g('a', [0, 1]), g('b', [2, 3, 4, 5])];
    const filled = sampleGroups(groups, labels, 'max-filling', 10, 0.5, Rng.fromSeed(0));
    expect(filled.map(keptIndices)).toEqual([
      [0, 1, 1, 1],
      [2, 3, 4, 5],
    ]);
    expect(sampleGroups(groups, labels, 'none', 1, 0.5, Rng.fromSeed(0)).map(keptIndices)).toEqual([
      [0, 1],
      [2, 3, 4, 5],
    ]);
  });

  it('the stage rejects k < 1 and tau <= 0 as InvalidConfig', () => {
    const input = { anchor: g('a', [0, 1]), targets: [g('b', [2, 3])], labels: new Array(8).fill(0.1), rng: Rng.fromSeed(0) };
    const bad = sample(input)(testEnv({ topk: 0 }));
    expect(E.isLeft(bad) && bad.left._tag).toBe('InvalidConfig');
    const badTau = sample(input)(testEnv({ tau: 0 }));
    expect(E.isLeft(badTau) && badTau.left._tag === 'InvalidConfig' && badTau.left.field).toBe('tau');
    const ok = sample(input)(testEnv({ topk: 1 }));
    expect(E.isRight(ok) && ok.right.targets[0].positions.length).toBe(1);
  });
});
