/**
 * Stage `transport` (appendix Alg. 1, spec stage 4): entropic OT between the anchor's kept
 * samples and every target's, solved together by lib/ot's batched solver (lambda 5, 5
 * iterations by default), with the cost (1 - cos | squared Euclidean) and relevance weights
 * (mean-dot | norm) the config names. Its result per target: the plan X, the cost C, and the
 * per-sample ID shift mu_j = sum_i X_ij C_ij (lib/ot computes it with the plan).
 *
 * It runs on host arrays (float64): the problems are tiny (k x k, k = 10) and the shift is
 * detached by default. The differentiable option (normalize stage) re-derives C from the
 * feature tensors and holds X fixed, so nothing here needs a tape.
 *
 * `mean-dot` weights are relu'd dot products and can all be 0 for one side (features pointing
 * away from the other set's mean). There is no transport then; rather than fail the step, that
 * pair falls back to uniform weights and the output counts it (`uniformFallbacks`).
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as A from 'fp-ts/lib/Array.js';
import { costMatrix, type Points } from '../../lib/ot/cost.js';
import { relevanceWeights } from '../../lib/ot/relevance.js';
import { makeProblem, type OtProblem } from '../../lib/ot/problem.js';
import { solveBatched, type BatchedScalingKernel } from '../../lib/ot/batched.js';
import type { OtError } from '../../lib/ot/errors.js';
import type { SinkhornOutput } from '../../lib/ot/output.js';
import type { TransportConfig } from '../config.js';
import { inputMismatch, transportFailure, type ElimError } from '../errors.js';
import { lift, type Stage, type SyncStage } from './stage.js';

export interface TransportInput {
  /** Row-major B x d features (read once by validate). */
  readonly zHost: ArrayLike<number>;
  readonly dim: number;
  /** Batch indices of the anchor's kept samples. */
  readonly anchor: readonly number[];
  /** Batch indices of each target's kept samples. */
  readonly targets: ReadonlyArray<readonly number[]>;
  /** A batched Sinkhorn kernel (kernels/*); absent: lib/ot's reference solver, one problem at a time. */
  readonly kernel?: BatchedScalingKernel;
}

export interface TargetTransport {
  readonly n: number;
  readonly m: number;
  /** Row-major n x m. */
  readonly plan: ArrayLike<number>;
  readonly cost: ArrayLike<number>;
  /** mu_j = sum_i X_ij C_ij, length m. */
  readonly shift: ArrayLike<number>;
  readonly iterations: number;
  readonly converged: boolean;
  readonly marginalError: { readonly rows: number; readonly cols: number };
}

export interface TransportOutput {
  readonly targets: readonly TargetTransport[];
  readonly uniformFallbacks: number;
}

const rowsOf = (z: ArrayLike<number>, dim: number, idx: readonly number[]): Points => {
  const data = new Float64Array(idx.length * dim);
  idx.forEach((r, i) => {
    for (let k = 0; k < dim; k++) data[i * dim + k] = z[r * dim + k];
  });
  return { data, rows: idx.length, dim };
};

/** One anchor-vs-target problem; `fallback` says whether uniform weights replaced zero-mass relevance. */
export const buildProblem = (x: Points, y: Points, c: TransportConfig): E.Either<OtError, { problem: OtProblem; fallback: boolean }> =>
  pipe(
    costMatrix(c.cost, x, y),
    E.flatMap((cost) => {
      const w = relevanceWeights(x, y, c.relevance, { releaseGuard: c.releaseMassGuard });
      const zeroMass = E.isLeft(w) && w.left._tag === 'ZeroMass';
      if (E.isLeft(w) && !zeroMass) return w;
      const weights = E.isRight(w) ? w.right : { a: undefined, b: undefined };
      return E.map((problem: OtProblem) => ({ problem, fallback: zeroMass }))(
        makeProblem({ cost, n: x.rows, m: y.rows, a: weights.a, b: weights.b, dtype: 'float64', rescaleB: !c.releaseMassGuard }),
      );
    }),
  );

const summarise = (o: SinkhornOutput, cost: ArrayLike<number>): TargetTransport => ({
  n: o.n,
  m: o.m,
  plan: o.plan,
  cost,
  shift: o.shift,
  iterations: o.iterations,
  converged: o.converged,
  marginalError: { rows: o.marginalError.rows, cols: o.marginalError.cols },
});

export const solveTransport = (input: TransportInput, c: TransportConfig): E.Either<ElimError, TransportOutput> => {
  const { zHost, dim, anchor, targets } = input;
  if (anchor.length === 0 || targets.some((t) => t.length === 0)) return E.left(inputMismatch('transport', 'every domain needs at least one kept sample'));
  const x = rowsOf(zHost, dim, anchor);
  return pipe(
    A.traverse(E.Applicative)((t: readonly number[]) => buildProblem(x, rowsOf(zHost, dim, t), c))([...targets]),
    E.flatMap((built) =>
      pipe(
        solveBatched(built.map((b) => b.problem), { lambda: c.lambda, iterations: c.iterations, tolerance: c.tolerance, mode: c.solver }, input.kernel),
        E.map((outs) => ({
          targets: outs.map((o, i) => summarise(o, built[i].problem.cost)),
          uniformFallbacks: built.filter((b) => b.fallback).length,
        })),
      ),
    ),
    E.mapLeft((e) => transportFailure('transport', e)),
  );
};

export const transportSync: SyncStage<TransportInput, TransportOutput> = (input) => (env) => solveTransport(input, env.config.transport);
export const transport: Stage<TransportInput, TransportOutput> = lift(transportSync);
