/**
 * Solver options and their defaults. The regularisation knob has two spellings of ONE number:
 *   lambda (the release): K = exp(-lambda * C), release default lambda = 5;
 *   eta (the appendix, Alg. 1): K = exp(-C / eta), appendix default eta = 5.
 * Both defaults are "5" but they mean inverse things (lambda = 5 <=> eta = 0.2). We default to
 * the release's lambda = 5, which is what the published numbers were trained with; pass
 * { eta: 5 } for the appendix's literal reading. Giving both is an error.
 */
import * as E from 'fp-ts/lib/Either.js';
import { badParameter, type OtError } from './errors.js';

export const DEFAULT_LAMBDA = 5;
/** T in Alg. 1 (and the release's maxIter). */
export const DEFAULT_ITERATIONS = 5;
/** The release's division guard. */
export const DEFAULT_GUARD = 1e-6;

export interface SinkhornOptions {
  readonly lambda?: number;
  readonly eta?: number;
  /** Maximum iterations T (default 5). */
  readonly iterations?: number;
  /**
   * Stop early once u stops changing: max_i |u_i - u_i^old| <= tolerance * max_i |u_i| (for the
   * log-domain solver the same test on the potentials, scaled by lambda). Default 0: run
   * exactly T iterations as Alg. 1 and the release do; `converged` then reports whether the
   * last step left u unchanged to within 1e-9 relative.
   */
  readonly tolerance?: number;
  /**
   * Division guard of the scaling form (default 1e-6, the release's); 0 gives the textbook
   * iteration. With a guard there is no exact fixed point: u keeps drifting by ~guard relative
   * per step, so a tolerance below ~1e-6 never fires; use guard 0 to run to convergence.
   * The log-domain solver has no guard (it is the guard-0 iteration).
   */
  readonly guard?: number;
}

export interface ResolvedOptions {
  readonly lambda: number;
  readonly iterations: number;
  readonly tolerance: number;
  readonly guard: number;
}

/** tolerance used for the `converged` flag when no early stop was asked for. */
export const CONVERGED_REPORT_TOL = 1e-9;

export const resolveLambda = (o: { readonly lambda?: number; readonly eta?: number }): E.Either<OtError, number> => {
  if (o.lambda !== undefined && o.eta !== undefined) return E.left(badParameter('lambda', 'give lambda or eta, not both (eta = 1/lambda)'));
  if (o.eta !== undefined) {
    return typeof o.eta === 'number' && Number.isFinite(o.eta) && o.eta > 0
      ? E.right(1 / o.eta)
      : E.left(badParameter('eta', `must be a finite number > 0, got ${o.eta}`));
  }
  const l = o.lambda ?? DEFAULT_LAMBDA;
  return typeof l === 'number' && Number.isFinite(l) && l > 0 ? E.right(l) : E.left(badParameter('lambda', `must be a finite number > 0, got ${l}`));
};

export const resolveOptions = (o: SinkhornOptions = {}): E.Either<OtError, ResolvedOptions> => {
  const iterations = o.iterations ?? DEFAULT_ITERATIONS;
  const tolerance = o.tolerance ?? 0;
  const guard = o.guard ?? DEFAULT_GUARD;
  if (!Number.isInteger(iterations) || iterations < 1) return E.left(badParameter('iterations', `must be an integer >= 1, got ${iterations}`));
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) return E.left(badParameter('tolerance', `must be a finite number >= 0, got ${tolerance}`));
  if (!(guard >= 0) || !Number.isFinite(guard)) return E.left(badParameter('guard', `must be a finite number >= 0, got ${guard}`));
  return E.map((lambda: number) => ({ lambda, iterations, tolerance, guard }))(resolveLambda(o));
};
