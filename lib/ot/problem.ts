/**
 * A validated transport problem (OTT-JAX's "geometry -> problem" step): a dense n x m cost
 * (row-major), source weights a (n) and target weights b (m), in float32 or float64. Every
 * solver takes an `OtProblem` and so never re-checks its input; `makeProblem` is the only way
 * in and rejects bad input as a typed `OtError` naming the field.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { badParameter, emptySet, negativeWeight, nonFinite, shapeMismatch, zeroMass, type OtError } from './errors.js';

export type Real = Float32Array | Float64Array;
export type OtDType = 'float32' | 'float64';

export interface OtProblem {
  readonly n: number;
  readonly m: number;
  /** Row-major n x m. */
  readonly cost: Real;
  readonly a: Real;
  readonly b: Real;
  readonly dtype: OtDType;
}

export interface ProblemInput {
  readonly cost: ArrayLike<number>;
  readonly n: number;
  readonly m: number;
  /** Default: uniform ones (each side sums to its length, as ELIM's relevance weights do). */
  readonly a?: ArrayLike<number>;
  readonly b?: ArrayLike<number>;
  readonly dtype?: OtDType;
  /**
   * When the totals differ, rescale b to a's total mass (default true: balanced OT needs equal
   * masses). false keeps b as given, e.g. to reproduce the release's ~1e-6 mass mismatch.
   */
  readonly rescaleB?: boolean;
}

export const allocate = (dtype: OtDType, n: number): Real => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));

const checkWeights = (field: string, w: ArrayLike<number>, len: number): E.Either<OtError, number> => {
  if (w.length !== len) return E.left(shapeMismatch(field, len, w.length));
  let total = 0;
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) return E.left(nonFinite(field, i, x));
    if (x < 0) return E.left(negativeWeight(field, i, x));
    total += x;
  }
  return total > 0 ? E.right(total) : E.left(zeroMass(field));
};

const checkCost = (cost: ArrayLike<number>, n: number, m: number): E.Either<OtError, ArrayLike<number>> => {
  if (cost.length !== n * m) return E.left(shapeMismatch('cost', n * m, cost.length));
  for (let i = 0; i < cost.length; i++) {
    const c = cost[i];
    if (typeof c !== 'number' || !Number.isFinite(c)) return E.left(nonFinite('cost', i, c));
  }
  return E.right(cost);
};

const checkSize = (field: string, k: number): E.Either<OtError, number> =>
  !Number.isInteger(k) || k < 0 ? E.left(badParameter(field, `must be a non-negative integer, got ${k}`)) : k === 0 ? E.left(emptySet(field)) : E.right(k);

export const makeProblem = (input: ProblemInput): E.Either<OtError, OtProblem> => {
  const dtype = input.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64') return E.left(badParameter('dtype', `must be 'float32' or 'float64', got ${String(dtype)}`));
  return pipe(
    E.Do,
    E.bind('n', () => checkSize('n', input.n)),
    E.bind('m', () => checkSize('m', input.m)),
    E.bind('cost', ({ n, m }) => checkCost(input.cost, n, m)),
    E.bind('aw', ({ n }) => E.right(input.a ?? new Float64Array(n).fill(1))),
    E.bind('bw', ({ m }) => E.right(input.b ?? new Float64Array(m).fill(1))),
    E.bind('ta', ({ n, aw }) => checkWeights('a', aw, n)),
    E.bind('tb', ({ m, bw }) => checkWeights('b', bw, m)),
    E.map(({ n, m, cost, aw, bw, ta, tb }) => {
      const a = allocate(dtype, n);
      a.set(Array.from(aw));
      const b = allocate(dtype, m);
      const scale = input.rescaleB === false || ta === tb ? 1 : ta / tb;
      for (let j = 0; j < m; j++) b[j] = bw[j] * scale;
      const c = allocate(dtype, n * m);
      c.set(Array.from(cost));
      return { n, m, cost: c, a, b, dtype };
    }),
  );
};

/** The transposed problem (b, a, C^T): OT(a, b, C) = OT(b, a, C^T)^T at convergence. */
export const transposeProblem = (p: OtProblem): OtProblem => {
  const c = allocate(p.dtype, p.n * p.m);
  for (let i = 0; i < p.n; i++) for (let j = 0; j < p.m; j++) c[j * p.n + i] = p.cost[i * p.m + j];
  return { n: p.m, m: p.n, cost: c, a: p.b, b: p.a, dtype: p.dtype };
};

/** Sum of a typed array in float64. */
export const total = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
};
