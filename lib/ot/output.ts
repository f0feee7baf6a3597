/**
 * The solver output record (OTT-JAX style): the plan and the scalings/potentials that made it,
 * how many iterations ran, whether the stop test fired, the marginal errors of the returned
 * plan and an error trace. `finish` is shared by every solver so that all report the same
 * quantities the same way, and it is where a non-finite plan becomes a typed error instead of
 * being handed on.
 */
import * as E from 'fp-ts/lib/Either.js';
import { diverged, firstNonFinite, type OtError } from './errors.js';
import type { OtProblem, Real } from './problem.js';

export type SinkhornMode = 'scaling' | 'log';

export interface MarginalError {
  /** sum_i |sum_j X_ij - a_i| (L1). */
  readonly rows: number;
  /** sum_j |sum_i X_ij - b_j| (L1); ~0 after the final v update (up to the guard). */
  readonly cols: number;
  readonly norm: 'L1';
}

/** What a solver's iteration produces; `finish` turns it into a SinkhornOutput. */
export interface RawResult {
  /** Row-major n x m plan X = diag(u) K diag(v). */
  readonly plan: Real;
  /** Scalings; in log mode exp(lambda f), which may over/underflow to Inf/0 (use f, g then). */
  readonly u: Real;
  readonly v: Real;
  /** Dual potentials f = log(u)/lambda, g = log(v)/lambda (float64). */
  readonly f: Float64Array;
  readonly g: Float64Array;
  readonly iterations: number;
  /** Last relative change of u (scaling: max|du| / max|u|; log: max lambda |df|); `converged` tests it. */
  readonly change: number;
  readonly converged: boolean;
  /**
   * Row-marginal L1 error per iteration t of the plan built from (u before the step, v of the
   * step): available for free from the iteration's own products (POT checks it every k).
   */
  readonly errorTrace: readonly number[];
}

export interface SinkhornOutput extends RawResult {
  readonly mode: SinkhornMode;
  readonly lambda: number;
  readonly n: number;
  readonly m: number;
  readonly marginalError: MarginalError;
  /** <X, C>. */
  readonly transportCost: number;
}

export const marginalError = (p: OtProblem, plan: ArrayLike<number>): MarginalError => {
  let rows = 0;
  let cols = 0;
  const colSum = new Float64Array(p.m);
  for (let i = 0; i < p.n; i++) {
    let r = 0;
    for (let j = 0; j < p.m; j++) {
      const x = plan[i * p.m + j];
      r += x;
      colSum[j] += x;
    }
    rows += Math.abs(r - p.a[i]);
  }
  for (let j = 0; j < p.m; j++) cols += Math.abs(colSum[j] - p.b[j]);
  return { rows, cols, norm: 'L1' };
};

/**
 * The cost each target point receives, sum_i X_ij C_ij (length m, float64); they add up to <X, C>.
 * (ELIM calls it the ID shift mu_j; the transport stage computes its own on the backend.)
 */
export const columnCosts = (p: OtProblem, plan: ArrayLike<number>): Float64Array => {
  const acc = new Float64Array(p.m);
  for (let i = 0; i < p.n; i++) for (let j = 0; j < p.m; j++) acc[j] += plan[i * p.m + j] * p.cost[i * p.m + j];
  return acc;
};

const sumOf = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j];
  return s;
};

export const finish = (p: OtProblem, mode: SinkhornMode, lambda: number, r: RawResult, problemIndex = 0): E.Either<OtError, SinkhornOutput> => {
  const bad = firstNonFinite(r.plan);
  if (bad >= 0) return E.left(diverged('plan', r.iterations, problemIndex));
  return E.right({ mode, lambda, n: p.n, m: p.m, ...r, marginalError: marginalError(p, r.plan), transportCost: sumOf(columnCosts(p, r.plan)) });
};
