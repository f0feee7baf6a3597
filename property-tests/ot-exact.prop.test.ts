/** Exact OT and the entropic solvers' approach to it as lambda grows. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactOt, hungarian, minCostFlow, sinkhorn } from '../lib/ot/index.js';
import { dbl, params, permutationSpec, problemSpec, right, sum, toProblem, colSums, rowSums, close } from './arbitraries.js';

const planCost = (x: ArrayLike<number>, c: ArrayLike<number>) => {
  let s = 0;
  for (let k = 0; k < x.length; k++) s += x[k] * c[k];
  return s;
};

/** All permutations of 0..n-1 (n <= 6 here). */
const permutations = (n: number): number[][] =>
  n === 0 ? [[]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, k) => [...p.slice(0, k), n - 1, ...p.slice(k)]));

describe('exact OT (property)', () => {
  it('the Hungarian assignment is the cheapest permutation (brute force)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(dbl(0, 2), { minLength: n * n, maxLength: n * n }))),
        ([n, c]) => {
          const col = hungarian(c, n);
          const got = sum(Array.from(col, (j, i) => c[i * n + j]));
          const best = Math.min(...permutations(n).map((p) => sum(p.map((j, i) => c[i * n + j]))));
          return new Set(col).size === n && Math.abs(got - best) <= 1e-12;
        },
      ),
      params(150),
    );
  });

  it('min-cost flow is feasible and agrees with Hungarian on uniform square problems', () => {
    fc.assert(
      fc.property(problemSpec(7), fc.integer({ min: 1, max: 7 }), (s, k) => {
        const p = toProblem(s);
        const x = minCostFlow(p.cost, p.n, p.m, p.a, p.b);
        expect(x.every((v) => v >= -1e-12)).toBe(true);
        expect(close(rowSums(x, p.n, p.m), p.a, 1e-9)).toBe(true);
        expect(close(colSums(x, p.n, p.m), p.b, 1e-9)).toBe(true);
        const sq = toProblem({
          n: k,
          m: k,
          cost: s.cost.slice(0, k * k).concat(new Array(Math.max(0, k * k - s.cost.length)).fill(1)),
          a: new Array(k).fill(1),
          b: new Array(k).fill(1),
        });
        const h = right(exactOt(sq));
        const f = minCostFlow(sq.cost, k, k, sq.a, sq.b);
        return h.method === 'hungarian' && Math.abs(h.cost - planCost(f, sq.cost)) <= 1e-9;
      }),
      params(150),
    );
  });

  it('entropic cost >= exact cost at convergence, decreasing in lambda, within mass*log(nm)/lambda', () => {
    fc.assert(
      fc.property(problemSpec(5, 5, 2), (s) => {
        const p = toProblem(s);
        const exact = right(exactOt(p)).cost;
        const mass = sum(p.a);
        let prev = Infinity;
        for (const lambda of [1, 4, 16, 64]) {
          const o = right(sinkhorn(p, { lambda, iterations: 50000, tolerance: 1e-13, mode: 'log' }));
          expect(o.marginalError.rows).toBeLessThan(1e-8 * mass);
          const c = o.transportCost;
          expect(c).toBeGreaterThanOrEqual(exact - 1e-7 * mass);
          expect(c - exact).toBeLessThanOrEqual((mass * Math.log(p.n * p.m)) / lambda + 1e-9);
          expect(c).toBeLessThanOrEqual(prev + 1e-9 * mass);
          prev = c;
        }
        return true;
      }),
      params(40),
    );
  });

  it('on costs whose optimum is a known permutation, the plan concentrates on it as lambda grows', () => {
    fc.assert(
      fc.property(permutationSpec(), ({ perm, ...s }) => {
        const p = toProblem(s);
        const onPerm = (lambda: number) => {
          const o = right(sinkhorn(p, { lambda, iterations: 20000, tolerance: 1e-12, mode: 'log' }));
          return sum(perm.map((j, i) => o.plan[i * p.n + j])) / p.n;
        };
        const fractions = [2, 8, 32, 96].map(onPerm);
        expect(right(exactOt(p)).plan.every((x, k) => (perm[Math.floor(k / p.n)] === k % p.n ? x === 1 : x === 0))).toBe(true);
        for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThanOrEqual(fractions[k - 1] - 1e-9);
        return fractions[fractions.length - 1] > 1 - 1e-5;
      }),
      params(30),
    );
  });
});
