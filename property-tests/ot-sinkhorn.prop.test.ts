/** Laws of the Sinkhorn solvers (scaling form = Alg. 1, log domain), float64 CPU path. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { sinkhorn, transposeProblem, type OtProblem } from '../lib/ot/index.js';
import { close, colSums, dbl, params, problemSpec, right, rowSums, sum, toProblem } from './arbitraries.js';

const converge = { iterations: 20000, tolerance: 1e-14, guard: 0 } as const;
/** lambda * cost range <= 6 keeps the contraction fast enough to converge in a test. */
const lambdaConv = dbl(0.3, 3);

const permuteProblem = (p: OtProblem, rp: number[], cp: number[]): OtProblem => ({
  ...p,
  cost: Float64Array.from({ length: p.n * p.m }, (_, k) => p.cost[rp[Math.floor(k / p.m)] * p.m + cp[k % p.m]]),
  a: Float64Array.from(rp, (i) => p.a[i]),
  b: Float64Array.from(cp, (j) => p.b[j]),
});

describe('Sinkhorn (property)', () => {
  it('plan >= 0 and finite, for any lambda up to 10 and either mode', () => {
    fc.assert(
      fc.property(problemSpec(), dbl(0.1, 10), fc.boolean(), (s, lambda, log) => {
        const o = right(sinkhorn(toProblem(s), { lambda, mode: log ? 'log' : 'scaling' }));
        return o.plan.every((x) => x >= 0 && Number.isFinite(x));
      }),
      params(200),
    );
  });

  it('column sums equal b after the final v update (guard 0 exactly; the release guard g short by exactly g v_j)', () => {
    fc.assert(
      fc.property(problemSpec(), dbl(0.1, 5), fc.integer({ min: 1, max: 10 }), (s, lambda, T) => {
        const p = toProblem(s);
        const exact = right(sinkhorn(p, { lambda, iterations: T, guard: 0 }));
        const guarded = right(sinkhorn(p, { lambda, iterations: T }));
        expect(close(colSums(exact.plan, p.n, p.m), p.b, 1e-12)).toBe(true);
        // b_j - colsum_j = b_j g / (K^T u + g)_j = g v_j
        expect(Math.abs(guarded.marginalError.cols - 1e-6 * sum(guarded.v))).toBeLessThanOrEqual(1e-10 * sum(p.b));
        return exact.marginalError.cols <= 1e-12 * sum(p.b);
      }),
      params(150),
    );
  });

  it("row sums approach a at convergence, and the total mass is a's", () => {
    fc.assert(
      fc.property(problemSpec(6), lambdaConv, fc.boolean(), (s, lambda, log) => {
        const p = toProblem(s);
        const o = right(sinkhorn(p, { ...converge, lambda, mode: log ? 'log' : 'scaling' }));
        expect(o.converged).toBe(true);
        expect(close(rowSums(o.plan, p.n, p.m), p.a, 1e-9)).toBe(true);
        return Math.abs(sum(o.plan) - sum(p.a)) <= 1e-10 * sum(p.a) && o.marginalError.rows <= 1e-9 * sum(p.a);
      }),
      params(100),
    );
  });

  it('the error trace decreases to the converged row error', () => {
    fc.assert(
      fc.property(problemSpec(6), lambdaConv, (s, lambda) => {
        const o = right(sinkhorn(toProblem(s), { ...converge, lambda }));
        const t = o.errorTrace;
        return t.length === o.iterations && t[t.length - 1] <= 1e-9 * sum(s.a) * 10 && t.every((x) => x >= 0);
      }),
      params(60),
    );
  });

  it('adding a constant to C leaves the plan unchanged (any T; exact with guard 0)', () => {
    fc.assert(
      fc.property(problemSpec(), dbl(0.1, 5), dbl(-1, 1), fc.integer({ min: 1, max: 8 }), fc.boolean(), (s, lambda, c, T, log) => {
        const p = toProblem(s);
        const shifted: OtProblem = { ...p, cost: p.cost.map((x) => x + c) };
        const o = { lambda, iterations: T, guard: 0, mode: log ? ('log' as const) : ('scaling' as const) };
        return close(right(sinkhorn(shifted, o)).plan, right(sinkhorn(p, o)).plan, 1e-9);
      }),
      params(150),
    );
  });

  it('permuting rows and columns of C, a, b permutes the plan (any T, with the release guard)', () => {
    fc.assert(
      fc.property(
        problemSpec().chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.shuffledSubarray([...Array(s.n).keys()], { minLength: s.n, maxLength: s.n }),
            fc.shuffledSubarray([...Array(s.m).keys()], { minLength: s.m, maxLength: s.m }),
          ),
        ),
        dbl(0.1, 8),
        fc.integer({ min: 1, max: 8 }),
        ([s, rp, cp], lambda, T) => {
          const p = toProblem(s);
          const base = right(sinkhorn(p, { lambda, iterations: T })).plan;
          const perm = right(sinkhorn(permuteProblem(p, rp, cp), { lambda, iterations: T })).plan;
          const expected = Float64Array.from({ length: p.n * p.m }, (_, k) => base[rp[Math.floor(k / p.m)] * p.m + cp[k % p.m]]);
          return close(perm, expected, 1e-10);
        },
      ),
      params(150),
    );
  });

  it('OT(a, b, C) = OT(b, a, C^T)^T at convergence', () => {
    fc.assert(
      fc.property(problemSpec(6), lambdaConv, (s, lambda) => {
        const p = toProblem(s);
        const x = right(sinkhorn(p, { ...converge, lambda })).plan;
        const y = right(sinkhorn(transposeProblem(p), { ...converge, lambda })).plan;
        const yt = Float64Array.from({ length: p.n * p.m }, (_, k) => y[(k % p.m) * p.n + Math.floor(k / p.m)]);
        return close(x, yt, 1e-8);
      }),
      params(100),
    );
  });

  it('log domain = scaling form wherever the scaling form is finite (guard 0, any T)', () => {
    let compared = 0;
    fc.assert(
      fc.property(problemSpec(), dbl(0.1, 60), fc.integer({ min: 1, max: 30 }), (s, lambda, T) => {
        const p = toProblem(s);
        const sc = sinkhorn(p, { lambda, iterations: T, guard: 0 });
        const lg = right(sinkhorn(p, { lambda, iterations: T, mode: 'log' }));
        if (E.isLeft(sc)) return sc.left._tag === 'Diverged';
        compared++;
        return close(lg.plan, sc.right.plan, 1e-8, 1e-300) && lg.iterations === sc.right.iterations;
      }),
      params(200),
    );
    expect(compared).toBeGreaterThan(100);
  });

  it('zero weights (ReLU relevance) without a guard: u_i = 0, finite, and log = scaling', () => {
    fc.assert(
      fc.property(problemSpec(), fc.integer({ min: 0, max: 7 }), dbl(0.1, 5), (s, z, lambda) => {
        const a = s.a.map((v, i) => (i === z % s.n && s.n > 1 ? 0 : v));
        const p = toProblem({ ...s, a });
        const sc = right(sinkhorn(p, { lambda, iterations: 8, guard: 0 }));
        const lg = right(sinkhorn(p, { lambda, iterations: 8, mode: 'log' }));
        return close(sc.plan, lg.plan, 1e-9) && a.every((v, i) => v > 0 || sc.u[i] === 0);
      }),
      params(100),
    );
  });

  it('for large lambda the scaling form is a typed Diverged error and the log domain still converges', () => {
    const p = toProblem({ n: 3, m: 3, cost: [0, 2, 2, 2, 0, 2, 2, 2, 1.9], a: [1, 1, 1], b: [1, 1, 1] });
    const sc = sinkhorn(p, { lambda: 2000, iterations: 50, guard: 0 });
    expect(E.isLeft(sc) && sc.left._tag).toBe('Diverged');
    const lg = right(sinkhorn(p, { lambda: 2000, iterations: 5000, tolerance: 1e-12, mode: 'log' }));
    expect(lg.converged).toBe(true);
    expect(close(lg.plan, [1, 0, 0, 0, 1, 0, 0, 0, 1], 0, 1e-9)).toBe(true);
  });
});
