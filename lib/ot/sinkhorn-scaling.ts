/**
 * Sinkhorn-Knopp in the appendix's scaling form (Alg. 1), exactly:
 *   K = exp(-lambda C), K~ = diag(1 ./ a) K, u0 = 1/n,
 *   repeat u <- 1 ./ (K~ (b ./ (K^T u)))  (T times, or until u stops changing),
 *   v = b ./ (K^T u), X = diag(u) K diag(v).
 * The release's 1e-6 guards sit on every division (1/(a+g), b/(K^T u + g), 1/(K~ w + g));
 * `guard: 0` gives the textbook iteration. A zero weight a_i with guard 0 makes row i of K~
 * infinite; its u_i is then the limit a_i / (K w)_i = 0 (set directly, not Inf * 0 = NaN).
 * This is the definition: the backends' batched primitive (Backend.sinkhornBatched) is tested
 * against it, through lib/ot/batched.ts.
 * For large lambda K underflows and the iteration divides by 0: that is reported as a
 * `Diverged` error; use the log-domain solver (sinkhorn-log.ts) there.
 */
import * as E from 'fp-ts/lib/Either.js';
import { diverged, type OtError } from './errors.js';
import { CONVERGED_REPORT_TOL, resolveOptions, type ResolvedOptions, type SinkhornOptions } from './options.js';
import { finish, type SinkhornOutput } from './output.js';
import { allocate, type OtProblem, type Real } from './problem.js';

/** out_j = sum_i M[i, j] x_i (M^T x), M row-major n x m, accumulated in out's storage type. */
const applyT = (M: Real, n: number, m: number, x: Real, out: Real): void => {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const row = i * m;
    for (let j = 0; j < m; j++) out[j] += M[row + j] * xi;
  }
};

/** out_i = sum_j M[i, j] y_j (M y), accumulated in float64. */
const apply = (M: Real, n: number, m: number, y: Real, out: Real): void => {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * m;
    for (let j = 0; j < m; j++) s += M[row + j] * y[j];
    out[i] = s;
  }
};

/** K = exp(-lambda C). */
export const gibbsKernel = (p: OtProblem, lambda: number): Real => {
  const K = allocate(p.dtype, p.n * p.m);
  for (let k = 0; k < K.length; k++) K[k] = Math.exp(-lambda * p.cost[k]);
  return K;
};

const maxAbs = (x: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = Math.max(s, Math.abs(x[i]));
  return s;
};

export const runScaling = (p: OtProblem, o: ResolvedOptions, problemIndex = 0): E.Either<OtError, SinkhornOutput> => {
  const { n, m, a, b } = p;
  const { lambda, guard } = o;
  const K = gibbsKernel(p, lambda);
  const Kt = allocate(p.dtype, n * m); // K~ = diag(1 ./ a) K
  for (let i = 0; i < n; i++) {
    const s = a[i] + guard === 0 ? 0 : 1 / (a[i] + guard); // zero row: u_i = 0 below
    for (let j = 0; j < m; j++) Kt[i * m + j] = s * K[i * m + j];
  }
  let u = allocate(p.dtype, n).fill(1 / n);
  let uNew = allocate(p.dtype, n);
  const ktu = allocate(p.dtype, m);
  const w = allocate(p.dtype, m);
  const ktw = allocate(p.dtype, n);
  const trace: number[] = [];
  let change = Infinity;
  let t = 0;
  while (t < o.iterations) {
    t++;
    applyT(K, n, m, u, ktu);
    for (let j = 0; j < m; j++) w[j] = b[j] / (ktu[j] + guard);
    apply(Kt, n, m, w, ktw);
    let err = 0;
    let diff = 0;
    for (let i = 0; i < n; i++) {
      const ui = a[i] + guard === 0 ? 0 : 1 / (ktw[i] + guard);
      if (!Number.isFinite(ui)) return E.left(diverged('u', t, problemIndex));
      uNew[i] = ui;
      err += Math.abs(u[i] * ktw[i] * (a[i] + guard) - a[i]); // row sum of diag(u_old) K diag(w)
      diff = Math.max(diff, Math.abs(ui - u[i]));
    }
    trace.push(err);
    change = diff / (maxAbs(uNew) || 1);
    [u, uNew] = [uNew, u];
    if (o.tolerance > 0 && change <= o.tolerance) break;
  }
  applyT(K, n, m, u, ktu);
  const v = allocate(p.dtype, m);
  for (let j = 0; j < m; j++) v[j] = b[j] / (ktu[j] + guard);
  const plan = allocate(p.dtype, n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) plan[i * m + j] = u[i] * K[i * m + j] * v[j];
  const f = Float64Array.from(u, (x) => Math.log(x) / lambda);
  const g = Float64Array.from(v, (x) => Math.log(x) / lambda);
  const converged = change <= (o.tolerance > 0 ? o.tolerance : CONVERGED_REPORT_TOL);
  return finish(p, 'scaling', lambda, { plan, u, v, f, g, iterations: t, change, converged, errorTrace: trace }, problemIndex);
};

/** Validates the options, then runs the scaling form. */
export const sinkhornScaling = (p: OtProblem, options?: SinkhornOptions): E.Either<OtError, SinkhornOutput> =>
  E.flatMap((o: ResolvedOptions) => runScaling(p, o))(resolveOptions(options));
