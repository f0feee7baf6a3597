/**
 * Many problems per call. ELIM solves P = N - 1 small anchor-vs-target problems per mini-batch
 * (e.g. 9 pairs of 10 x 10).
 * - `solveBatched`: checked problems of any sizes, one by one with the host solvers (scaling or
 *   log), one checked output each.
 * - `sinkhornBatchedReference`: the definition of the backends' optional primitive
 *   `Backend.sinkhornBatched` (P problems of one shape n x m, packed [P, n, m] / [P, n] / [P, m]):
 *   runScaling per problem in float64, a problem that under/overflows written as NaN. Its
 *   implementations (kernels/cpu, kernels/gpujs) are tested against it, and lib/ot/device.ts
 *   falls back to it on a backend without the primitive.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as A from 'fp-ts/lib/Array.js';
import type { SinkhornAttrs } from '../backend/backend.js';
import { emptySet, type OtError } from './errors.js';
import { resolveOptions, type ResolvedOptions, type SinkhornOptions } from './options.js';
import type { SinkhornMode, SinkhornOutput } from './output.js';
import type { OtProblem } from './problem.js';
import { runScaling } from './sinkhorn-scaling.js';
import { runLog } from './sinkhorn-log.js';

export interface BatchedOptions extends SinkhornOptions {
  /** 'scaling' (default) or 'log'. */
  readonly mode?: SinkhornMode;
}

/** Solves every problem with the host solver of `mode`; the first failure names its problem. */
export const solveBatched = (problems: readonly OtProblem[], options: BatchedOptions = {}): E.Either<OtError, SinkhornOutput[]> =>
  E.flatMap((o: ResolvedOptions) => {
    if (problems.length === 0) return E.left(emptySet('problems'));
    const run = options.mode === 'log' ? runLog : runScaling;
    return A.traverseWithIndex(E.Applicative)((k, p: OtProblem) => run(p, o, k))(problems as OtProblem[]);
  })(resolveOptions(options));

/** Packed float64 results of a batched solve, laid out as Backend.sinkhornBatched's handles. */
export interface DenseSolution {
  /** [P, n, m]. */
  readonly plan: Float64Array;
  /** [P, n], [P, m]. */
  readonly u: Float64Array;
  readonly v: Float64Array;
  /** [P, 2]: iterations run, last relative change of u. */
  readonly stats: Float64Array;
}

export const attrsOptions = (t: SinkhornAttrs): ResolvedOptions => ({ lambda: t.lambda, iterations: t.iterations, tolerance: t.tolerance, guard: t.guard });

/** The reference of Backend.sinkhornBatched: runScaling on each [n, m] slice, in float64. */
export const sinkhornBatchedReference = (cost: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>, t: SinkhornAttrs): DenseSolution => {
  const { count: P, n, m } = t;
  const out: DenseSolution = { plan: new Float64Array(P * n * m), u: new Float64Array(P * n), v: new Float64Array(P * m), stats: new Float64Array(P * 2) };
  const o = attrsOptions(t);
  const c64 = Float64Array.from(cost);
  const a64 = Float64Array.from(a);
  const b64 = Float64Array.from(b);
  for (let k = 0; k < P; k++) {
    const p: OtProblem = {
      n,
      m,
      cost: c64.subarray(k * n * m, (k + 1) * n * m),
      a: a64.subarray(k * n, (k + 1) * n),
      b: b64.subarray(k * m, (k + 1) * m),
      dtype: 'float64',
    };
    const r = runScaling(p, o, k);
    if (E.isRight(r)) {
      out.plan.set(r.right.plan, k * n * m);
      out.u.set(r.right.u, k * n);
      out.v.set(r.right.v, k * m);
      out.stats[2 * k] = r.right.iterations;
      out.stats[2 * k + 1] = r.right.change;
    } else {
      out.plan.fill(NaN, k * n * m, (k + 1) * n * m);
      out.u.fill(NaN, k * n, (k + 1) * n);
      out.v.fill(NaN, k * m, (k + 1) * m);
      out.stats[2 * k] = r.left._tag === 'Diverged' ? r.left.iteration : 0;
      out.stats[2 * k + 1] = NaN;
    }
  }
  return out;
};
