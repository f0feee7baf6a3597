import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { computeLoss, groupMseSum, loss, termValues } from './loss.js';
import { DEFAULT_CONFIG, makeConfig, RELEASE_PRESET, warmupFactor } from '../config.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());

describe('loss', () => {
  it('warm-up factor: 0 before w1, iteration/w2 until w2, then 1', () => {
    const w = DEFAULT_CONFIG.warmup;
    expect([0, 4, 5, 25, 49, 50, 1000].map((i) => warmupFactor(w, i))).toEqual([0, 0, 0.1, 0.5, 0.98, 1, 1]);
  });

  it('group MSE is the mean over each group and both axes, summed over groups', () => {
    testEnv();
    const y = T.tensor([1, 1, 0, 0, 2, 0], [3, 2]);
    const t = T.zeros([3, 2]);
    // group 1 = rows 0-1: (1 + 1 + 0 + 0) / 4 = 0.5; group 2 = row 2: (4 + 0) / 2 = 2
    expect(groupMseSum(y, t, [2, 1]).item()).toBeCloseTo(2.5, 6);
  });

  it('total = main + L_va + 0.5 (L_PCC + L_CCC); main scaled by warm-up; release form adds the anchor and halves', () => {
    testEnv();
    const labels = T.tensor([0.1, 0.2, -0.3, 0.5, 0.7, -0.1, 0.2, 0.2], [4, 2]);
    const y = T.tensor([0.2, 0.1, -0.2, 0.4, 0.5, 0.0, 0.1, 0.3], [4, 2]);
    const elim = { targets: { y, labels }, sizes: [2, 2], anchor: { y: T.zeros([2, 2]), labels: T.ones([2, 2]) } };
    const d = termValues(computeLoss({ batch: { y, labels }, elim, warmup: 0.5 }, DEFAULT_CONFIG.loss, y).terms);
    expect(d.main).toBeCloseTo(0.5 * groupMseSum(y, labels, [2, 2]).item(), 6);
    expect(d.total).toBeCloseTo(d.main + d.va + 0.5 * (d.pcc + d.ccc), 6);
    expect(d.va).toBeCloseTo(d.mseValence + d.mseArousal, 6);
    const rel = termValues(computeLoss({ batch: { y, labels }, elim, warmup: 0.5 }, makeConfig(RELEASE_PRESET).loss, y).terms);
    expect(rel.main).toBeCloseTo(0.5 * 0.5 * (groupMseSum(y, labels, [2, 2]).item() + 1), 6);
  });

  it('all labels zero: finite terms (correlations are eps-guarded)', () => {
    testEnv();
    const labels = T.zeros([4, 2]);
    const y = T.tensor([0.2, 0.1, -0.2, 0.4, 0.5, 0.0, 0.1, 0.3], [4, 2]);
    const r = loss({ batch: { y, labels }, warmup: 1 })(testEnv());
    expect(E.isRight(r) && Object.values(termValues(r.right.terms)).every(Number.isFinite)).toBe(true);
  });

  it('no batch and no ELIM predictions without `like` is a typed error', () => {
    const r = loss({ warmup: 1 })(testEnv());
    expect(E.isLeft(r) && r.left._tag).toBe('InputMismatch');
  });
});
