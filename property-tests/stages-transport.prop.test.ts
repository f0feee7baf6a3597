/** Laws of the transport stage: the shift is the transport cost each target sample receives. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../lib/ops/index.js';
import { solveTransport, targetPlan, type TransportInput } from '../pipelines/stages/transport.js';
import { makeConfig } from '../pipelines/config.js';
import { testEnv } from '../pipelines/stages/testing/env.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';

useBackend(createCpuBackend());

const SEED = 777;
const params = { seed: SEED, numRuns: 150, verbose: 1 } as const;
const coord = fc.double({ min: -3, max: 3, noNaN: true });

/** Independent cost: 1 - cos, or squared distance, straight from the definition. */
const cost = (kind: 'cosine' | 'sqeuclidean', z: number[], d: number, i: number, j: number) => {
  let dot = 0,
    ni = 0,
    nj = 0,
    sq = 0;
  for (let k = 0; k < d; k++) {
    const a = z[i * d + k],
      b = z[j * d + k];
    dot += a * b;
    ni += a * a;
    nj += b * b;
    sq += (a - b) ** 2;
  }
  return kind === 'sqeuclidean' ? sq : Math.min(2, Math.max(0, 1 - dot / (Math.max(Math.sqrt(ni), 1e-8) * Math.max(Math.sqrt(nj), 1e-8))));
};

const problem = fc
  .record({
    d: fc.integer({ min: 1, max: 5 }),
    n: fc.integer({ min: 1, max: 6 }),
    ms: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ d, n, ms }) => {
    const rows = n + ms.reduce((a, b) => a + b, 0);
    return fc.record({ d: fc.constant(d), n: fc.constant(n), ms: fc.constant(ms), z: fc.array(coord, { minLength: rows * d, maxLength: rows * d }) });
  });

/** The stage's input on the CPU backend, float64 (the plans are made there, by its primitive). */
/** Rows 0..n-1 of z are the anchor's, then each target's ms[k] rows in turn. */
const split = (n: number, ms: readonly number[]): { anchor: number[]; targets: number[][] } => {
  let next = n;
  return { anchor: Array.from({ length: n }, (_, i) => i), targets: ms.map((m) => Array.from({ length: m }, () => next++)) };
};

const inputOf = (z: number[], d: number, anchor: number[], targets: number[][]): TransportInput => ({
  z: T.tensor(z, [z.length / d, d], { dtype: 'float64' }),
  zHost: z,
  anchor,
  targets,
});

describe('transport (property)', () => {
  testEnv();
  for (const kind of ['cosine', 'sqeuclidean'] as const) {
    for (const relevance of ['mean-dot', 'norm'] as const) {
      it(`mu_j = sum_i X_ij C_ij, plan >= 0 (${kind}, ${relevance})`, () => {
        const c = makeConfig({ transport: { cost: kind, relevance, solver: kind === 'sqeuclidean' ? 'log' : 'scaling' } }).transport;
        fc.assert(
          fc.property(problem, ({ d, n, ms, z }) => {
            const { anchor, targets } = split(n, ms);
            const r = solveTransport(inputOf(z, d, anchor, targets), c);
            if (E.isLeft(r)) return r.left._tag === 'TransportFailure'; // only zero-norm 'norm' weights can be rejected
            const shift = r.right.shift.toArray();
            let at = 0;
            return targets.every((t, k) => {
              const plan = targetPlan(r.right, k).toArray();
              for (let j = 0; j < t.length; j++, at++) {
                let mu = 0;
                for (let i = 0; i < n; i++) {
                  const x = plan[i * t.length + j];
                  if (!(x >= 0)) return false;
                  mu += x * cost(kind, z, d, anchor[i], t[j]);
                }
                if (Math.abs(mu - shift[at]) > 1e-9 * Math.max(1, Math.abs(mu))) return false;
              }
              return true; // marginals are lib/ot's law (its own tests); with near-zero weights the release's guards dominate them
            });
          }),
          params,
        );
      });
    }
  }

  it('the shift is non-negative and at most max C (a convex combination of costs per unit mass)', () => {
    const c = makeConfig({ transport: { relevance: 'norm' } }).transport;
    fc.assert(
      fc.property(problem, ({ d, n, ms, z }) => {
        const { anchor, targets } = split(n, ms);
        const r = solveTransport(inputOf(z, d, anchor, targets), c);
        if (E.isLeft(r)) return true;
        for (const v of r.right.shift.toArray()) expect(v).toBeGreaterThanOrEqual(0);
        return true;
      }),
      { ...params, numRuns: 60 },
    );
  });
});
