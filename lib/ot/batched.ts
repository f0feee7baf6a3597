/**
 * Batched Sinkhorn: one call solves P problems of different sizes (ELIM solves N - 1 small
 * anchor-vs-target problems per mini-batch, e.g. 9 pairs of 10 x 10). Problems are packed
 * back to back (`PackedBatch`: offsets per problem into one cost, a, b array) and handed to a
 * `BatchedScalingKernel`, which runs Alg. 1 on all of them and writes u, v, the plan, the
 * iteration count, the last relative change of u and the error trace into a `BatchedRaw`.
 * lib knows no kernel: kernels/cpu/sinkhorn-batched.ts and kernels/gpujs/sinkhorn-batched.ts
 * implement the interface; without one, `solveBatched` solves the problems one by one with the
 * reference solvers (which is also the definition the batched kernels are tested against).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as A from 'fp-ts/lib/Array.js';
import { badParameter, diverged, emptySet, firstNonFinite, type OtError } from './errors.js';
import { CONVERGED_REPORT_TOL, resolveOptions, type ResolvedOptions, type SinkhornOptions } from './options.js';
import { finish, type SinkhornMode, type SinkhornOutput } from './output.js';
import { allocate, type OtDType, type OtProblem, type Real } from './problem.js';
import { runScaling } from './sinkhorn-scaling.js';
import { runLog } from './sinkhorn-log.js';

export interface PackedBatch {
  readonly count: number;
  readonly dtype: OtDType;
  readonly n: Int32Array;
  readonly m: Int32Array;
  /** Problem p's cost starts at matOff[p], a at rowOff[p], b at colOff[p]; entry count = totals. */
  readonly matOff: Int32Array;
  readonly rowOff: Int32Array;
  readonly colOff: Int32Array;
  readonly cost: Real;
  readonly a: Real;
  readonly b: Real;
}

/** What a batched kernel writes (packed like the batch). */
export interface BatchedRaw {
  readonly u: Real;
  readonly v: Real;
  readonly plan: Real;
  readonly iterations: Int32Array;
  /** Last relative change of u per problem (max |du| / max |u|). */
  readonly change: Float64Array;
  /** Row-marginal L1 error per problem per iteration: trace[p * T + t]. */
  readonly trace: Float64Array;
}

export interface BatchedScalingKernel {
  /** Engine name as shown in benchmarks, e.g. 'cpu-batched' or 'gpujs-batched(webasm)'. */
  readonly name: string;
  readonly run: (batch: PackedBatch, o: ResolvedOptions, out: BatchedRaw) => void;
}

export const packBatch = (problems: readonly OtProblem[]): E.Either<OtError, PackedBatch> => {
  if (problems.length === 0) return E.left(emptySet('problems'));
  const dtype = problems[0].dtype;
  const bad = problems.findIndex((p) => p.dtype !== dtype);
  if (bad >= 0) return E.left(badParameter(`problems[${bad}].dtype`, `${problems[bad].dtype} differs from ${dtype}: one batch has one dtype`));
  const count = problems.length;
  const n = Int32Array.from(problems, (p) => p.n);
  const m = Int32Array.from(problems, (p) => p.m);
  const matOff = new Int32Array(count + 1);
  const rowOff = new Int32Array(count + 1);
  const colOff = new Int32Array(count + 1);
  problems.forEach((p, k) => {
    matOff[k + 1] = matOff[k] + p.n * p.m;
    rowOff[k + 1] = rowOff[k] + p.n;
    colOff[k + 1] = colOff[k] + p.m;
  });
  const cost = allocate(dtype, matOff[count]);
  const a = allocate(dtype, rowOff[count]);
  const b = allocate(dtype, colOff[count]);
  problems.forEach((p, k) => {
    cost.set(p.cost, matOff[k]);
    a.set(p.a, rowOff[k]);
    b.set(p.b, colOff[k]);
  });
  return E.right({ count, dtype, n, m, matOff, rowOff, colOff, cost, a, b });
};

export const allocateRaw = (batch: PackedBatch, iterations: number): BatchedRaw => ({
  u: allocate(batch.dtype, batch.rowOff[batch.count]),
  v: allocate(batch.dtype, batch.colOff[batch.count]),
  plan: allocate(batch.dtype, batch.matOff[batch.count]),
  iterations: new Int32Array(batch.count),
  change: new Float64Array(batch.count),
  trace: new Float64Array(batch.count * iterations),
});

/** Turns a kernel's packed result into one checked output per problem. */
export const unpackBatch = (problems: readonly OtProblem[], batch: PackedBatch, raw: BatchedRaw, o: ResolvedOptions): E.Either<OtError, SinkhornOutput[]> => {
  // outputs are views into the packed buffers (no per-problem copies: allocation dominated tiny problems)
  const fAll = new Float64Array(raw.u.length);
  const gAll = new Float64Array(raw.v.length);
  for (let i = 0; i < fAll.length; i++) fAll[i] = Math.log(raw.u[i]) / o.lambda;
  for (let j = 0; j < gAll.length; j++) gAll[j] = Math.log(raw.v[j]) / o.lambda;
  return A.traverseWithIndex(E.Applicative)((k, p: OtProblem): E.Either<OtError, SinkhornOutput> => {
    const u = raw.u.subarray(batch.rowOff[k], batch.rowOff[k + 1]);
    const v = raw.v.subarray(batch.colOff[k], batch.colOff[k + 1]);
    if (firstNonFinite(u) >= 0) return E.left(diverged('u', raw.iterations[k], k));
    if (firstNonFinite(v) >= 0) return E.left(diverged('v', raw.iterations[k], k));
    const its = raw.iterations[k];
    const converged = raw.change[k] <= (o.tolerance > 0 ? o.tolerance : CONVERGED_REPORT_TOL);
    const errorTrace = Array.from(raw.trace.subarray(k * o.iterations, k * o.iterations + its));
    const f = fAll.subarray(batch.rowOff[k], batch.rowOff[k + 1]);
    const g = gAll.subarray(batch.colOff[k], batch.colOff[k + 1]);
    const plan = raw.plan.subarray(batch.matOff[k], batch.matOff[k + 1]);
    return finish(p, 'scaling', o.lambda, { plan, u, v, f, g, iterations: its, converged, errorTrace }, k);
  })(problems as OtProblem[]);
};

export interface BatchedOptions extends SinkhornOptions {
  /** 'scaling' (default; the only mode batched kernels implement) or 'log' (one by one). */
  readonly mode?: SinkhornMode;
}

/** Solves every problem; with a kernel the scaling form runs batched, else one by one. */
export const solveBatched = (problems: readonly OtProblem[], options: BatchedOptions = {}, kernel?: BatchedScalingKernel): E.Either<OtError, SinkhornOutput[]> =>
  E.flatMap((o: ResolvedOptions) => {
    if (problems.length === 0) return E.left(emptySet('problems'));
    if (options.mode === 'log') return A.traverseWithIndex(E.Applicative)((k, p: OtProblem) => runLog(p, o, undefined, k))(problems as OtProblem[]);
    if (!kernel) return A.traverseWithIndex(E.Applicative)((k, p: OtProblem) => runScaling(p, o, undefined, k))(problems as OtProblem[]);
    return E.flatMap((batch: PackedBatch) => {
      const raw = allocateRaw(batch, o.iterations);
      kernel.run(batch, o, raw);
      return unpackBatch(problems, batch, raw, o);
    })(packBatch(problems));
  })(resolveOptions(options));
