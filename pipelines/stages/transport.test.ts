import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { Rng } from '../../lib/rng/rng.js';
import { columnCosts, readBatchStats, solveBatched } from '../../lib/ot/index.js';
import type { Backend } from '../../lib/backend/backend.js';
import { buildProblem, pairWeights, solveTransport, targetPlan, transport, type TransportInput } from './transport.js';
import { DEFAULT_CONFIG, makeConfig } from '../config.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

const backend = useBackend(createCpuBackend());

const features = (rows: number, dim: number, seed: number) => {
  const r = Rng.fromSeed(seed);
  return Float64Array.from({ length: rows * dim }, () => r.normal());
};

const cosineCost = (z: ArrayLike<number>, d: number, i: number, j: number) => {
  let dot = 0,
    ni = 0,
    nj = 0;
  for (let k = 0; k < d; k++) {
    dot += z[i * d + k] * z[j * d + k];
    ni += z[i * d + k] ** 2;
    nj += z[j * d + k] ** 2;
  }
  return 1 - dot / (Math.sqrt(ni) * Math.sqrt(nj));
};

/** A stage input on the test env's CPU backend (float64 unless asked). */
const inputOf = (zHost: Float64Array, d: number, anchor: number[], targets: number[][], backend?: Backend): TransportInput => ({
  z: T.tensor(zHost, [zHost.length / d, d], { dtype: 'float64', backend }),
  zHost,
  anchor,
  targets,
});

const right = <A>(r: E.Either<unknown, A>): A => {
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return r.right;
};

describe('transport', () => {
  it('one plan per target (padded to the largest); shift_j = sum_i X_ij C_ij with C = 1 - cos; columns sum to b', () => {
    testEnv();
    const d = 5;
    const z = features(12, d, 1);
    const input = inputOf(
      z,
      d,
      [0, 1, 2, 3],
      [
        [4, 5, 6],
        [7, 8, 9, 10, 11],
      ],
    );
    const r = right(solveTransport(input, DEFAULT_CONFIG.transport));
    expect(r.plan.shape).toEqual([2, 4, 5]);
    expect([r.n, ...r.sizes]).toEqual([4, 3, 5]);
    const plan = r.plan.toArray();
    for (let i = 0; i < 4; i++) expect([plan[i * 5 + 3], plan[i * 5 + 4]]).toEqual([0, 0]); // target 0's padding columns
    const x0 = targetPlan(r, 0).toArray();
    const shift = r.shift.toArray();
    expect(r.shift.shape).toEqual([8, 1]);
    for (let j = 0; j < 3; j++) {
      let mu = 0;
      for (let i = 0; i < 4; i++) mu += x0[i * 3 + j] * cosineCost(z, d, i, 4 + j);
      expect(shift[j]).toBeCloseTo(mu, 10);
    }
    const rows = (idx: number[]) => ({ data: Float64Array.from(idx.flatMap((i) => Array.from(z.slice(i * d, (i + 1) * d)))), rows: idx.length, dim: d });
    const w = right(pairWeights(rows([0, 1, 2, 3]), rows([4, 5, 6]), DEFAULT_CONFIG.transport));
    let colsL1 = 0; // column marginals met up to the release's 1e-6 division guard
    for (let j = 0; j < 3; j++) colsL1 += Math.abs(x0[j] + x0[3 + j] + x0[6 + j] + x0[9 + j] - w.b[j]);
    expect(colsL1).toBeLessThan(1e-4);
    expect(readBatchStats(r.stats, 0).iterations).toEqual([5, 5]);
    expect(r.uniformFallbacks).toBe(0);
  });

  it("the backend primitive, and lib/ot's reference on a backend without it, give the host solver's plans and shift", () => {
    const d = 4;
    const z = features(10, d, 2);
    const anchor = [0, 1, 2];
    const targets = [
      [3, 4, 5],
      [6, 7, 8, 9],
    ];
    const problems = targets.map((t) => right(buildProblem(pts(z, d, anchor), pts(z, d, t), DEFAULT_CONFIG.transport)).problem);
    const host = right(solveBatched(problems));
    const want = host.flatMap((o, k) => Array.from(columnCosts(problems[k], o.plan)));
    const { sinkhornBatched, ...rest } = backend;
    expect(sinkhornBatched).toBeDefined();
    const without: Backend = rest;
    for (const be of [backend, without]) {
      const r = right(solveTransport(inputOf(z, d, anchor, targets, be), DEFAULT_CONFIG.transport));
      Array.from(r.shift.toArray()).forEach((v, j) => expect(Math.abs(v - want[j])).toBeLessThan(1e-12));
      host.forEach((o, k) => Array.from(targetPlan(r, k).toArray()).forEach((v, q) => expect(Math.abs(v - o.plan[q])).toBeLessThan(1e-12)));
    }
  });

  it('mean-dot relevance with zero mass falls back to uniform weights and counts it', () => {
    testEnv();
    // target points all opposite to the anchor's mean: relu(dot) = 0 everywhere
    const z = Float64Array.from([1, 0, 1, 0.1, -1, 0, -1, -0.1]);
    const r = solveTransport(inputOf(z, 2, [0, 1], [[2, 3]]), DEFAULT_CONFIG.transport);
    expect(E.isRight(r) && r.right.uniformFallbacks).toBe(1);
  });

  it('log-domain solver and sqeuclidean cost are options; the log form survives underflow', () => {
    testEnv();
    const d = 3;
    const z = features(6, d, 3);
    const input = inputOf(z, d, [0, 1, 2], [[3, 4, 5]]);
    // Observed (lib/ot at this commit): even after 300 iterations the guarded scaling form
    // reports converged = false and differs from the log form by up to ~0.3%; the stage only
    // promises that both are selectable and agree closely, lib/ot owns the exact law.
    const scaling = right(solveTransport(input, makeConfig({ transport: { iterations: 300 } }).transport));
    const log = right(solveTransport(input, makeConfig({ transport: { solver: 'log', iterations: 300 } }).transport));
    const ls = log.shift.toArray();
    Array.from(scaling.shift.toArray()).forEach((v, j) => expect(Math.abs(ls[j] - v)).toBeLessThan(1e-2 * Math.abs(v)));
    expect(readBatchStats(log.stats, 0).iterations).toEqual([300]);
    const sq = transport(input)(testEnv({ transport: { cost: 'sqeuclidean' } }));
    expect(E.isRight(sq)).toBe(true);
    // a regularisation where exp(-lambda C) underflows: the log-domain form stays finite
    const big = inputOf(
      z.map((v) => v * 30),
      d,
      [0, 1, 2],
      [[3, 4, 5]],
    );
    const huge = right(solveTransport(big, makeConfig({ transport: { cost: 'sqeuclidean', lambda: 50, solver: 'log' } }).transport));
    expect(Array.from(huge.shift.toArray()).every(Number.isFinite)).toBe(true);
  });

  it('nothing is recorded on the tape: the plan and the shift carry no gradient', () => {
    testEnv();
    const z = features(7, 3, 5);
    const input = {
      ...inputOf(
        z,
        3,
        [0, 1, 2],
        [
          [3, 4],
          [5, 6],
        ],
      ),
      z: T.tensor(z, [7, 3], { dtype: 'float64', requiresGrad: true }),
    };
    const r = right(solveTransport(input, DEFAULT_CONFIG.transport));
    expect([r.plan.tracksGrad, r.shift.tracksGrad]).toEqual([false, false]);
  });
});

const pts = (z: Float64Array, d: number, idx: number[]) => ({
  data: Float64Array.from(idx.flatMap((i) => Array.from(z.slice(i * d, (i + 1) * d)))),
  rows: idx.length,
  dim: d,
});
