/**
 * Shared fast-check arbitraries and checkers for the OT and metrics laws. Every property runs
 * with a fixed seed (override with FC_SEED=...), which fast-check prints with the
 * counterexample on failure, so a failing case replays exactly.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { makeProblem, type OtDType, type OtProblem } from '../lib/ot/problem.js';

export const SEED = Number(process.env.FC_SEED ?? 20221128);
export const params = (numRuns: number) => ({ seed: SEED, numRuns, verbose: 1 }) as const;

/** Unwraps a Right or fails the test with the Left's message. */
export const right = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected Right, got Left: ${e.left.message}`);
  return e.right;
};

export const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

export interface ProblemSpec {
  readonly n: number;
  readonly m: number;
  readonly cost: number[];
  readonly a: number[];
  readonly b: number[];
}

/** Costs in [0, 2] (ELIM's cosine range), strictly positive weights. */
export const problemSpec = (maxN = 8, maxM = maxN, minN = 1): fc.Arbitrary<ProblemSpec> =>
  fc.record({ n: fc.integer({ min: minN, max: maxN }), m: fc.integer({ min: minN, max: maxM }) }).chain(({ n, m }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      cost: fc.array(dbl(0, 2), { minLength: n * m, maxLength: n * m }),
      a: fc.array(dbl(0.05, 2), { minLength: n, maxLength: n }),
      b: fc.array(dbl(0.05, 2), { minLength: m, maxLength: m }),
    }),
  );

/** Square problem with uniform weights whose unique optimal plan is the permutation `perm`. */
export const permutationSpec = (maxN = 7): fc.Arbitrary<ProblemSpec & { perm: number[] }> =>
  fc.integer({ min: 2, max: maxN }).chain((n) =>
    fc
      .record({
        perm: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
        on: fc.array(dbl(0, 0.2), { minLength: n, maxLength: n }),
        off: fc.array(dbl(0.5, 2), { minLength: n * n, maxLength: n * n }),
      })
      .map(({ perm, on, off }) => {
        // any other assignment swaps at least two on-entries (<= 0.2 each) for off-entries (>= 0.5 each)
        const cost = off.slice();
        perm.forEach((j, i) => (cost[i * n + j] = on[i]));
        return { n, m: n, cost, a: new Array(n).fill(1), b: new Array(n).fill(1), perm };
      }),
  );

export const toProblem = (s: ProblemSpec, dtype: OtDType = 'float64'): OtProblem => right(makeProblem({ ...s, dtype }));

export const maxAbsDiff = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  if (x.length !== y.length) return Infinity;
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
};

export const maxAbs = (x: ArrayLike<number>): number => {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]));
  return d;
};

/** |x - y| <= rel * max(|y|) + abs, elementwise (NaN fails). */
export const close = (x: ArrayLike<number>, y: ArrayLike<number>, rel: number, abs = 0): boolean => maxAbsDiff(x, y) <= rel * maxAbs(y) + abs;

export const sum = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
};

export const rowSums = (plan: ArrayLike<number>, n: number, m: number) =>
  Array.from({ length: n }, (_, i) => sum(Array.from({ length: m }, (_, j) => plan[i * m + j])));
export const colSums = (plan: ArrayLike<number>, n: number, m: number) =>
  Array.from({ length: m }, (_, j) => sum(Array.from({ length: n }, (_, i) => plan[i * m + j])));

/** A VA value in [-1, 1]; magnitudes below 1e-100 become exact 0 (their squares would underflow, which no law is about). */
export const va = dbl(-1, 1).map((v) => (Math.abs(v) < 1e-100 ? 0 : v));

/** VA series of length n in [-1, 1] (pairs of label and prediction). */
export const series = (minN = 2, maxN = 40) =>
  fc.integer({ min: minN, max: maxN }).chain((n) => fc.tuple(fc.array(va, { minLength: n, maxLength: n }), fc.array(va, { minLength: n, maxLength: n })));
