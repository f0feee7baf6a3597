/**
 * Stage `transport` (appendix Alg. 1, spec stage 4): entropic OT between the anchor's kept
 * samples and every target's (lambda 5, 5 iterations by default), with the cost (1 - cos |
 * squared Euclidean) and relevance weights (mean-dot | norm) the config names. Its result: the
 * plans X [P, n, mMax] and the per-sample ID shift mu_j = sum_i X_ij C_ij (ELIM's quantity,
 * computed here from the plan), both tensors on z's backend.
 *
 * Where it runs:
 * - scaling form (the default, Alg. 1): the costs are built from z on the backend, the P problems
 *   are solved together by lib/ot/device.ts (the backend's `sinkhornBatched` primitive where it
 *   has one, the gpujs and cpu backends do; else lib/ot's host reference), and the shift is
 *   reduced on the backend: no plan crosses to the host. Targets of different sizes are padded
 *   to mMax columns of weight 0, which get no mass and change nothing else (the Sinkhorn steps
 *   add exact zeros for them). A scaling form that under/overflows gives non-finite plans here
 *   (reading a flag back would cost a round trip per step); the trainer stops on the non-finite
 *   loss that follows. Use solver 'log' where exp(-lambda C) underflows.
 * - log-domain form: lib/ot's host solver on the host features, plans and shift uploaded.
 * The relevance weights are always computed on the host from the features validate read back
 * (O(B d), exact float64), so the uniform fallback below is counted without a readback.
 *
 * Nothing here is recorded on the tape: the plan is a constant of the step and the shift is
 * detached (the default). The differentiable option (normalize stage) re-derives C from the
 * feature tensors and holds X fixed.
 *
 * `mean-dot` weights are relu'd dot products and can all be 0 for one side (features pointing
 * away from the other set's mean). There is no transport then; rather than fail the step, that
 * pair falls back to uniform weights and the output counts it (`uniformFallbacks`).
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as A from 'fp-ts/lib/Array.js';
import * as T from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { costMatrix, type Points } from '../../lib/ot/cost.js';
import { cosineCostT, sqEuclideanCostT } from '../../lib/ot/cost-tensor.js';
import { relevanceWeights } from '../../lib/ot/relevance.js';
import { makeProblem, total, type OtProblem } from '../../lib/ot/problem.js';
import { solveBatched } from '../../lib/ot/batched.js';
import { sinkhornBatchedT } from '../../lib/ot/device.js';
import { resolveOptions, type ResolvedOptions } from '../../lib/ot/options.js';
import { firstNonFinite, nonFinite, type OtError } from '../../lib/ot/errors.js';
import { columnCosts, type SinkhornOutput } from '../../lib/ot/output.js';
import type { TransportConfig } from '../config.js';
import { inputMismatch, transportFailure, tryStage, type ElimError } from '../errors.js';
import type { Stage } from './stage.js';

export interface TransportInput {
  /** Features of the whole batch, [B, d]: the plans are made on its backend, in its dtype. */
  readonly z: Tensor;
  /** The same features read back once by validate (row-major B x d): relevance weights, log form. */
  readonly zHost: ArrayLike<number>;
  /** Batch indices of the anchor's kept samples. */
  readonly anchor: readonly number[];
  /** Batch indices of each target's kept samples. */
  readonly targets: ReadonlyArray<readonly number[]>;
}

export interface TransportOutput {
  /** [P, n, mMax]: target k's plan in its first sizes[k] columns (padding columns are 0). */
  readonly plan: Tensor;
  /** Anchor samples n, and m per target. */
  readonly n: number;
  readonly sizes: readonly number[];
  /** mu_j = sum_i X_ij C_ij of every target sample, [M, 1], targets in order; detached. */
  readonly shift: Tensor;
  /** [P, 2]: iterations run, last relative change of u (lib/ot readBatchStats reads it back). */
  readonly stats: Tensor;
  readonly uniformFallbacks: number;
}

/** Target k's plan, [n, m_k]. */
export const targetPlan = (t: TransportOutput, k: number): Tensor => {
  const mMax = t.plan.shape[2];
  const m = t.sizes[k];
  const x = T.reshape(T.slice(t.plan, [k, 0, 0], [1, t.n, mMax]), [t.n, mMax]);
  return m === mMax ? x : T.slice(x, [0, 0], [t.n, m]);
};

const rowsOf = (z: ArrayLike<number>, dim: number, idx: readonly number[]): Points => {
  const data = new Float64Array(idx.length * dim);
  idx.forEach((r, i) => {
    for (let k = 0; k < dim; k++) data[i * dim + k] = z[r * dim + k];
  });
  return { data, rows: idx.length, dim };
};

interface Weights {
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly fallback: boolean;
}

/**
 * Relevance weights of one anchor-vs-target pair as the problem takes them: uniform where one
 * side has zero mass (`fallback`), b rescaled to a's mass unless the release's mass guard is on.
 */
export const pairWeights = (x: Points, y: Points, c: TransportConfig): E.Either<OtError, Weights> => {
  const w = relevanceWeights(x, y, c.relevance, { releaseGuard: c.releaseMassGuard });
  const fallback = E.isLeft(w) && w.left._tag === 'ZeroMass';
  if (E.isLeft(w) && !fallback) return w;
  const a = E.isRight(w) ? w.right.a : new Float64Array(x.rows).fill(1);
  const b0 = E.isRight(w) ? w.right.b : new Float64Array(y.rows).fill(1);
  for (const [field, v] of [
    ['a', a],
    ['b', b0],
  ] as const) {
    const bad = firstNonFinite(v); // subnormal features can overflow the normalisation, as makeProblem rejects
    if (bad >= 0) return E.left(nonFinite(field, bad, v[bad]));
  }
  const ta = total(a);
  const tb = total(b0);
  const scale = c.releaseMassGuard || ta === tb ? 1 : ta / tb; // as makeProblem's rescaleB
  return E.right({ a, b: b0.map((v) => v * scale), fallback });
};

/** One anchor-vs-target problem on the host (the log-domain path, tests). */
export const buildProblem = (x: Points, y: Points, c: TransportConfig): E.Either<OtError, { problem: OtProblem; fallback: boolean }> =>
  pipe(
    E.Do,
    E.bind('cost', () => costMatrix(c.cost, x, y)),
    E.bind('w', () => pairWeights(x, y, c)),
    E.flatMap(({ cost, w }) =>
      E.map((problem: OtProblem) => ({ problem, fallback: w.fallback }))(
        makeProblem({ cost, n: x.rows, m: y.rows, a: w.a, b: w.b, dtype: 'float64', rescaleB: false }),
      ),
    ),
  );

/** C(x, y) as a tensor [n, m]: lib/ot's tensor geometry, the same definitions as the host solver's. */
export const costTensor = (kind: TransportConfig['cost'], x: Tensor, y: Tensor): Tensor => (kind === 'cosine' ? cosineCostT(x, y) : sqEuclideanCostT(x, y));

/** Target rows padded to mMax (padding repeats a target's first row: its weight is 0). */
const paddedRows = (targets: ReadonlyArray<readonly number[]>, mMax: number): number[] =>
  targets.flatMap((t) => Array.from({ length: mMax }, (_, j) => t[Math.min(j, t.length - 1)]));

/** Positions of the real target columns in the padded [P * mMax] layout. */
const realColumns = (sizes: readonly number[], mMax: number): number[] => sizes.flatMap((m, k) => Array.from({ length: m }, (_, j) => k * mMax + j));

const packWeights = (ws: readonly Weights[], n: number, mMax: number) => {
  const a = new Float64Array(ws.length * n);
  const b = new Float64Array(ws.length * mMax); // padding columns: weight 0
  ws.forEach((w, k) => {
    a.set(w.a, k * n);
    b.set(w.b, k * mMax);
  });
  return { a, b };
};

/** Scaling form on z's backend: cost, Sinkhorn and shift never leave it. */
const onBackend = (input: TransportInput, c: TransportConfig, o: ResolvedOptions, ws: readonly Weights[]): TransportOutput => {
  const { z, anchor, targets } = input;
  const n = anchor.length;
  const sizes = targets.map((t) => t.length);
  const mMax = Math.max(...sizes);
  const P = targets.length;
  const like = { dtype: z.dtype, backend: z.backend };
  const zd = T.detach(z);
  const C = T.permute(T.reshape(costTensor(c.cost, T.gather(zd, anchor), T.gather(zd, paddedRows(targets, mMax))), [n, P, mMax]), [1, 0, 2]);
  const w = packWeights(ws, n, mMax);
  const sol = sinkhornBatchedT(C, T.tensor(w.a, [P, n], like), T.tensor(w.b, [P, mMax], like), o);
  sol.u.dispose(); // the scalings are not needed here: free their device buffers now
  sol.v.dispose();
  const mu = T.gather(T.reshape(T.sum(T.mul(sol.plan, C), 1), [P * mMax, 1]), realColumns(sizes, mMax));
  return { plan: sol.plan, n, sizes, shift: mu, stats: sol.stats, uniformFallbacks: ws.filter((x) => x.fallback).length };
};

/** Log-domain form on the host (lib/ot's stabilised solver); plans, shift and stats uploaded. */
const onHost = (input: TransportInput, outs: readonly SinkhornOutput[], problems: readonly OtProblem[], fallbacks: number): TransportOutput => {
  const n = input.anchor.length;
  const sizes = input.targets.map((t) => t.length);
  const mMax = Math.max(...sizes);
  const like = { dtype: input.z.dtype, backend: input.z.backend };
  const plan = new Float64Array(outs.length * n * mMax);
  const shift: number[] = [];
  outs.forEach((o, k) => {
    for (let i = 0; i < n; i++) for (let j = 0; j < o.m; j++) plan[(k * n + i) * mMax + j] = o.plan[i * o.m + j];
    shift.push(...columnCosts(problems[k], o.plan)); // mu_j = sum_i X_ij C_ij
  });
  return {
    plan: T.tensor(plan, [outs.length, n, mMax], like),
    n,
    sizes,
    shift: T.tensor(shift, [shift.length, 1], like),
    stats: T.tensor(
      outs.flatMap((o) => [o.iterations, o.change]),
      [outs.length, 2],
      like,
    ),
    uniformFallbacks: fallbacks,
  };
};

export const solveTransport = (input: TransportInput, c: TransportConfig): E.Either<ElimError, TransportOutput> => {
  const { zHost, z, anchor, targets } = input;
  if (anchor.length === 0 || targets.length === 0 || targets.some((t) => t.length === 0))
    return E.left(inputMismatch('transport', 'every domain needs at least one kept sample'));
  const dim = z.shape[1];
  const x = rowsOf(zHost, dim, anchor);
  const ys = targets.map((t) => rowsOf(zHost, dim, t));
  const fail = (e: OtError) => transportFailure('transport', e);
  if (c.solver === 'log') {
    return pipe(
      A.traverse(E.Applicative)((y: Points) => buildProblem(x, y, c))(ys),
      E.flatMap((built) =>
        E.map((outs: SinkhornOutput[]) => ({ built, outs }))(
          solveBatched(
            built.map((b) => b.problem),
            { lambda: c.lambda, iterations: c.iterations, tolerance: c.tolerance, mode: 'log' },
          ),
        ),
      ),
      E.mapLeft(fail),
      E.flatMap(({ built, outs }) =>
        tryStage('transport', () =>
          onHost(
            input,
            outs,
            built.map((b) => b.problem),
            built.filter((b) => b.fallback).length,
          ),
        ),
      ),
    );
  }
  return pipe(
    E.Do,
    E.bind('o', () => resolveOptions({ lambda: c.lambda, iterations: c.iterations, tolerance: c.tolerance })),
    E.bind('ws', () => A.traverse(E.Applicative)((y: Points) => pairWeights(x, y, c))(ys)),
    E.mapLeft(fail),
    E.flatMap(({ o, ws }) => tryStage('transport', () => onBackend(input, c, o, ws))),
  );
};

export const transport: Stage<TransportInput, TransportOutput> = (input) => (env) => solveTransport(input, env.config.transport);
