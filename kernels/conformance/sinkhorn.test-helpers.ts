/**
 * Conformance of the optional Backend.sinkhornBatched against its definition, lib/ot's host
 * solver (lib/ot/batched.ts sinkhornBatchedReference, float64 on the same float32 inputs). Cases
 * cover ELIM's default (lambda 5, T = 5, guard 1e-6), the textbook iteration (guard 0) run long,
 * a per-problem early stop (problems stop at different iterations), a zero row weight without a
 * guard (u_i = 0) and zero column weights (how callers pad problems to one shape: those columns
 * get no mass and leave the rest unchanged). Error: |got - want| <= tolerance * (1 + |want|), on
 * the plan, u, v and the stats (iterations must be equal). Measured worst scaled errors (float32
 * handles vs the float64 reference): cpu 5.3e-8 (one rounding), gpujs on HeadlessGL/llvmpipe
 * 8.0e-7; the suite's tolerances are 1e-5 (cpu) and 1e-4 (gpujs).
 */
import { expect } from 'vitest';
import type { Backend, DataHandle, SinkhornAttrs } from '../../lib/backend/backend.js';
import { sinkhornBatchedReference } from '../../lib/ot/batched.js';
import { Rng } from '../../lib/rng/rng.js';

interface SinkhornCase {
  readonly label: string;
  readonly attrs: SinkhornAttrs;
  /** Zero these weights (flat indices into a [P, n] / b [P, m]). */
  readonly zeroA?: readonly number[];
  readonly zeroB?: readonly number[];
}

const elim = { lambda: 5, iterations: 5, tolerance: 0, guard: 1e-6 };
export const SINKHORN_CASES: readonly SinkhornCase[] = [
  { label: 'ELIM default 9 x 10 x 10', attrs: { count: 9, n: 10, m: 10, ...elim } },
  { label: 'ELIM default 3 x 4 x 7, padded columns', attrs: { count: 3, n: 4, m: 7, ...elim }, zeroB: [5, 6, 13] },
  { label: 'one 1 x 3 problem', attrs: { count: 1, n: 1, m: 3, ...elim } },
  { label: 'guard 0, 60 iterations', attrs: { count: 4, n: 6, m: 5, lambda: 2, iterations: 60, tolerance: 0, guard: 0 } },
  { label: 'early stop per problem', attrs: { count: 5, n: 5, m: 6, lambda: 3, iterations: 80, tolerance: 1e-3, guard: 0 } },
  { label: 'zero row weight, guard 0', attrs: { count: 2, n: 5, m: 4, lambda: 5, iterations: 10, tolerance: 0, guard: 0 }, zeroA: [1, 7] },
];

/** float32 cost in [0, 2] (cosine costs), positive weights each side summing to n. */
export const sinkhornInputs = (c: SinkhornCase, seed: number) => {
  const { count: P, n, m } = c.attrs;
  const rng = Rng.fromSeed(seed);
  const cost = new Float32Array(P * n * m);
  rng.fillUniform(cost, 0, 2);
  const a = new Float32Array(P * n);
  const b = new Float32Array(P * m);
  rng.fillUniform(a, 0.2, 1);
  rng.fillUniform(b, 0.2, 1);
  for (const i of c.zeroA ?? []) a[i] = 0;
  for (const j of c.zeroB ?? []) b[j] = 0;
  const norm = (w: Float32Array, len: number) => {
    for (let p = 0; p < P; p++) {
      let s = 0;
      for (let k = 0; k < len; k++) s += w[p * len + k];
      for (let k = 0; k < len; k++) w[p * len + k] *= n / s;
    }
  };
  norm(a, n);
  norm(b, m);
  return { cost, a, b };
};

type ErrorOf = (got: ArrayLike<number>, want: ArrayLike<number>) => { err: number; at: number };

/** Runs every case on `be` (nothing where it lacks the primitive); returns the worst scaled error. */
export const checkSinkhornConformance = (be: Backend, tolerance: number, worstError: ErrorOf): number => {
  if (!be.sinkhornBatched) return 0;
  let worst = 0;
  SINKHORN_CASES.forEach((c, k) => {
    const { cost, a, b } = sinkhornInputs(c, 3000 + k);
    const made: DataHandle[] = [];
    try {
      const [hc, ha, hb] = [be.upload(cost), be.upload(a), be.upload(b)];
      made.push(hc, ha, hb);
      const got = be.sinkhornBatched!(hc, ha, hb, c.attrs);
      made.push(got.plan, got.u, got.v, got.stats);
      const want = sinkhornBatchedReference(cost, a, b, c.attrs);
      for (const key of ['plan', 'u', 'v', 'stats'] as const) {
        const g = be.download(got[key]);
        expect(got[key].dtype).toBe('float32');
        const { err, at } = worstError(g, want[key]);
        worst = Math.max(worst, err);
        expect(err, `sinkhornBatched ${c.label}: ${key} worst scaled error ${err} at ${at} (got ${g[at]}, want ${want[key][at]})`).toBeLessThanOrEqual(
          tolerance,
        );
      }
      const its = be.download(got.stats).filter((_, i) => i % 2 === 0);
      expect(Array.from(its), `${c.label}: iterations`).toEqual(Array.from(want.stats.filter((_, i) => i % 2 === 0)));
    } finally {
      for (const h of made) be.release(h);
    }
  });
  return worst;
};
