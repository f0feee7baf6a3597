import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../lib/rng/rng.js';
import { createCpuBatchedSinkhorn } from '../../kernels/cpu/sinkhorn-batched.js';
import { solveTransport, transportSync } from './transport.js';
import { DEFAULT_CONFIG, makeConfig } from '../config.js';
import { testEnv } from './testing/env.js';

const features = (rows: number, dim: number, seed: number) => {
  const r = Rng.fromSeed(seed);
  return Float64Array.from({ length: rows * dim }, () => r.normal());
};

const cosineCost = (z: ArrayLike<number>, d: number, i: number, j: number) => {
  let dot = 0, ni = 0, nj = 0;
  for (let k = 0; k < d; k++) {
    dot += z[i * d + k] * z[j * d + k];
    ni += z[i * d + k] ** 2;
    nj += z[j * d + k] ** 2;
  }
  return 1 - dot / (Math.sqrt(ni) * Math.sqrt(nj));
};

describe('transport', () => {
  it('one plan per target; shift_j = sum_i X_ij C_ij with C = 1 - cos; columns of the plan sum to b', () => {
    const d = 5;
    const z = features(12, d, 1);
    const r = solveTransport({ zHost: z, dim: d, anchor: [0, 1, 2, 3], targets: [[4, 5, 6], [7, 8, 9, 10, 11]] }, DEFAULT_CONFIG.transport);
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    const [t0, t1] = r.right.targets;
    expect([t0.n, t0.m, t1.n, t1.m]).toEqual([4, 3, 4, 5]);
    for (let j = 0; j < 3; j++) {
      let mu = 0;
      for (let i = 0; i < 4; i++) mu += t0.plan[i * 3 + j] * cosineCost(z, d, i, 4 + j);
      expect(t0.shift[j]).toBeCloseTo(mu, 10);
    }
    expect(t0.marginalError.cols).toBeLessThan(1e-4);
    expect(t0.iterations).toBe(5);
    expect(r.right.uniformFallbacks).toBe(0);
  });

  it('the CPU batched kernel gives the reference solver plan', () => {
    const d = 4;
    const z = features(10, d, 2);
    const input = { zHost: z, dim: d, anchor: [0, 1, 2], targets: [[3, 4, 5], [6, 7, 8, 9]] };
    const ref = solveTransport(input, DEFAULT_CONFIG.transport);
    const fast = solveTransport({ ...input, kernel: createCpuBatchedSinkhorn() }, DEFAULT_CONFIG.transport);
    expect(E.isRight(ref) && E.isRight(fast)).toBe(true);
    if (E.isLeft(ref) || E.isLeft(fast)) return;
    ref.right.targets.forEach((t, k) => Array.from(t.shift).forEach((v, j) => expect(fast.right.targets[k].shift[j]).toBeCloseTo(v, 6)));
  });

  it('mean-dot relevance with zero mass falls back to uniform weights and counts it', () => {
    // target points all opposite to the anchor's mean: relu(dot) = 0 everywhere
    const z = [1, 0, 1, 0.1, -1, 0, -1, -0.1];
    const r = solveTransport({ zHost: z, dim: 2, anchor: [0, 1], targets: [[2, 3]] }, DEFAULT_CONFIG.transport);
    expect(E.isRight(r) && r.right.uniformFallbacks).toBe(1);
  });

  it('log-domain solver and sqeuclidean cost are options; the log form survives underflow', () => {
    const d = 3;
    const z = features(6, d, 3);
    const input = { zHost: z, dim: d, anchor: [0, 1, 2], targets: [[3, 4, 5]] };
    // Observed (lib/ot at this commit): even after 300 iterations the guarded scaling form
    // reports converged = false and differs from the log form by up to ~0.3%; the stage only
    // promises that both are selectable and agree closely, lib/ot owns the exact law.
    const scaling = solveTransport(input, makeConfig({ transport: { iterations: 300 } }).transport);
    const log = solveTransport(input, makeConfig({ transport: { solver: 'log', iterations: 300 } }).transport);
    expect(E.isRight(scaling) && E.isRight(log)).toBe(true);
    if (E.isRight(scaling) && E.isRight(log)) {
      Array.from(scaling.right.targets[0].shift).forEach((v, j) => expect(Math.abs(log.right.targets[0].shift[j] - v)).toBeLessThan(1e-2 * Math.abs(v)));
    }
    const sq = transportSync(input)(testEnv({ transport: { cost: 'sqeuclidean' } }));
    expect(E.isRight(sq)).toBe(true);
    // a regularisation where exp(-lambda C) underflows: the log-domain form stays finite
    const huge = solveTransport({ ...input, zHost: z.map((v) => v * 30) }, makeConfig({ transport: { cost: 'sqeuclidean', lambda: 50, solver: 'log' } }).transport);
    expect(E.isRight(huge) && Array.from(huge.right.targets[0].shift).every(Number.isFinite)).toBe(true);
  });
});
