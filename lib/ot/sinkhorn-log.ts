/**
 * Log-domain (stabilised) Sinkhorn: the same fixed point as the scaling form, iterated on the
 * potentials f = log(u)/lambda, g = log(v)/lambda with log-sum-exp, so nothing under/overflows
 * for large lambda (small regularisation). Started from u0 = 1/n like Alg. 1, each step is
 *   g_j = (log b_j - LSE_i lambda (f_i - C_ij)) / lambda      (v = b ./ K^T u)
 *   f_i = (log a_i - LSE_j lambda (g_j - C_ij)) / lambda      (u = 1 ./ (K~ v))
 * i.e. the unguarded scaling iteration (guard = 0), so the two agree wherever the scaling form
 * is finite. The stop test is max_i lambda |f_i - f_i^old| <= tolerance (= the relative change
 * of u to first order). It runs on the host only (no backend primitive covers it).
 * Zero weights give -Inf potentials and zero rows/columns of the plan, as they should.
 */
import * as E from 'fp-ts/lib/Either.js';
import { diverged, type OtError } from './errors.js';
import { CONVERGED_REPORT_TOL, resolveOptions, type ResolvedOptions, type SinkhornOptions } from './options.js';
import { finish, type SinkhornOutput } from './output.js';
import { allocate, type OtProblem } from './problem.js';

/** Two-pass log-sum-exp (max, then sum of shifted exps); an all -Inf slice gives -Inf. */
const lse = {
  /** out_j = log sum_i exp(lambda (f_i - C_ij)). */
  cols: (C: ArrayLike<number>, n: number, m: number, lambda: number, f: Float64Array, out: Float64Array): void => {
    for (let j = 0; j < m; j++) {
      let mx = -Infinity;
      for (let i = 0; i < n; i++) mx = Math.max(mx, lambda * (f[i] - C[i * m + j]));
      if (mx === -Infinity) {
        out[j] = -Infinity;
        continue;
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.exp(lambda * (f[i] - C[i * m + j]) - mx);
      out[j] = mx + Math.log(s);
    }
  },
  /** out_i = log sum_j exp(lambda (g_j - C_ij)). */
  rows: (C: ArrayLike<number>, n: number, m: number, lambda: number, g: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let j = 0; j < m; j++) mx = Math.max(mx, lambda * (g[j] - C[i * m + j]));
      if (mx === -Infinity) {
        out[i] = -Infinity;
        continue;
      }
      let s = 0;
      for (let j = 0; j < m; j++) s += Math.exp(lambda * (g[j] - C[i * m + j]) - mx);
      out[i] = mx + Math.log(s);
    }
  },
};

export const runLog = (p: OtProblem, o: ResolvedOptions, problemIndex = 0): E.Either<OtError, SinkhornOutput> => {
  const { n, m, a, b, cost } = p;
  const { lambda } = o;
  const logA = Float64Array.from(a, Math.log);
  const logB = Float64Array.from(b, Math.log);
  let f = new Float64Array(n).fill(Math.log(1 / n) / lambda);
  let fNew = new Float64Array(n);
  const g = new Float64Array(m);
  const lc = new Float64Array(m);
  const lr = new Float64Array(n);
  const trace: number[] = [];
  let change = Infinity;
  let t = 0;
  const gStep = () => {
    lse.cols(cost, n, m, lambda, f, lc);
    for (let j = 0; j < m; j++) g[j] = (logB[j] - lc[j]) / lambda;
  };
  while (t < o.iterations) {
    t++;
    gStep();
    lse.rows(cost, n, m, lambda, g, lr);
    let err = 0;
    let diff = 0;
    for (let i = 0; i < n; i++) {
      const fi = (logA[i] - lr[i]) / lambda;
      if (Number.isNaN(fi) || fi === Infinity) return E.left(diverged('f', t, problemIndex));
      fNew[i] = fi;
      if (a[i] > 0) {
        // row sum of the plan (f_old, g) is a_i exp(lambda (f_old - f_new))
        const d = lambda * (f[i] - fi);
        err += a[i] * Math.abs(Math.expm1(d));
        diff = Math.max(diff, Math.abs(d));
      }
    }
    trace.push(err);
    change = diff;
    [f, fNew] = [fNew, f];
    if (o.tolerance > 0 && change <= o.tolerance) break;
  }
  gStep();
  const plan = allocate(p.dtype, n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) plan[i * m + j] = Math.exp(lambda * (f[i] + g[j] - cost[i * m + j]));
  const u = allocate(p.dtype, n);
  const v = allocate(p.dtype, m);
  for (let i = 0; i < n; i++) u[i] = Math.exp(lambda * f[i]);
  for (let j = 0; j < m; j++) v[j] = Math.exp(lambda * g[j]);
  const converged = change <= (o.tolerance > 0 ? o.tolerance : CONVERGED_REPORT_TOL);
  return finish(p, 'log', lambda, { plan, u, v, f, g: Float64Array.from(g), iterations: t, change, converged, errorTrace: trace }, problemIndex);
};

export const sinkhornLog = (p: OtProblem, options?: SinkhornOptions): E.Either<OtError, SinkhornOutput> =>
  E.flatMap((o: ResolvedOptions) => runLog(p, o))(resolveOptions(options));
