/**
 * The CPU backend's batched Sinkhorn (Backend.sinkhornBatched, scaling form, Alg. 1) over
 * packed [P, n, m] problems: one pass per problem through typed-array loops with a float64
 * workspace (K, K~, K^T u, b ./ K^T u, ...) that is allocated once per backend and only grown.
 * The arithmetic is lib/ot/sinkhorn-scaling.ts's, step for step in float64, so on float64 input
 * the results equal the reference (lib/ot/batched.ts sinkhornBatchedReference) bit for bit; a
 * float32 output is that float64 result rounded once. A problem whose u stops being finite is
 * written as NaN with its iteration, as the reference writes it.
 */
import type { SinkhornAttrs } from '../../lib/backend/backend.js';
import type { TypedArray } from '../../lib/tensor/dtype.js';

export interface SinkhornOut {
  readonly plan: TypedArray;
  readonly u: TypedArray;
  readonly v: TypedArray;
  readonly stats: TypedArray;
}

interface Workspace {
  K: Float64Array;
  Kt: Float64Array;
  ktu: Float64Array;
  w: Float64Array;
  ktw: Float64Array;
  u: Float64Array;
  uNew: Float64Array;
  v: Float64Array;
}

/** A solver with its own workspace (one per backend: the primitive runs synchronously). */
export const createSinkhornBatched = () => {
  let ws: Workspace | null = null;
  const grow = (mat: number, vec: number): Workspace => {
    if (ws && ws.K.length >= mat && ws.ktu.length >= vec) return ws;
    const f = (k: number) => new Float64Array(k);
    ws = { K: f(mat), Kt: f(mat), ktu: f(vec), w: f(vec), ktw: f(vec), u: f(vec), uNew: f(vec), v: f(vec) };
    return ws;
  };
  return (cost: TypedArray, a: TypedArray, b: TypedArray, t: SinkhornAttrs, out: SinkhornOut): void => {
    const w = grow(t.n * t.m, Math.max(t.n, t.m));
    for (let p = 0; p < t.count; p++) solveOne(cost, a, b, t, p, out, w);
  };
};

const solveOne = (cost: TypedArray, a: TypedArray, b: TypedArray, t: SinkhornAttrs, p: number, out: SinkhornOut, ws: Workspace): void => {
  const { n, m, lambda, guard, tolerance, iterations } = t;
  const mo = p * n * m;
  const ro = p * n;
  const co = p * m;
  const { K, Kt, ktu, w, ktw, v } = ws;
  let { u, uNew } = ws;
  for (let i = 0; i < n; i++) {
    const s = a[ro + i] + guard === 0 ? 0 : 1 / (a[ro + i] + guard); // zero weight, no guard: u_i = 0
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      K[k] = Math.exp(-lambda * cost[mo + k]);
      Kt[k] = s * K[k];
    }
    u[i] = 1 / n;
  }
  let change = Infinity;
  let it = 0;
  while (it < iterations) {
    it++;
    kTransposeTimes(K, n, m, u, ktu);
    for (let j = 0; j < m; j++) w[j] = b[co + j] / (ktu[j] + guard);
    let diff = 0;
    let umax = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * m;
      for (let j = 0; j < m; j++) s += Kt[row + j] * w[j];
      ktw[i] = s;
      const ui = a[ro + i] + guard === 0 ? 0 : 1 / (s + guard);
      if (!Number.isFinite(ui)) return diverged(out, t, p, it);
      uNew[i] = ui;
      diff = Math.max(diff, Math.abs(ui - u[i]));
      umax = Math.max(umax, Math.abs(ui));
    }
    change = diff / (umax || 1);
    [u, uNew] = [uNew, u];
    if (tolerance > 0 && change <= tolerance) break;
  }
  kTransposeTimes(K, n, m, u, ktu);
  for (let j = 0; j < m; j++) v[j] = b[co + j] / (ktu[j] + guard);
  for (let i = 0; i < n; i++) {
    out.u[ro + i] = u[i];
    for (let j = 0; j < m; j++) out.plan[mo + i * m + j] = u[i] * K[i * m + j] * v[j];
  }
  for (let j = 0; j < m; j++) out.v[co + j] = v[j];
  out.stats[2 * p] = it;
  out.stats[2 * p + 1] = change;
};

const diverged = (out: SinkhornOut, t: SinkhornAttrs, p: number, it: number): void => {
  const { n, m } = t;
  out.plan.fill(NaN, p * n * m, (p + 1) * n * m);
  out.u.fill(NaN, p * n, (p + 1) * n);
  out.v.fill(NaN, p * m, (p + 1) * m);
  out.stats[2 * p] = it;
  out.stats[2 * p + 1] = NaN;
};

/** out_j = sum_i K_ij u_i, in the reference's order. */
const kTransposeTimes = (K: Float64Array, n: number, m: number, u: Float64Array, out: Float64Array): void => {
  out.fill(0, 0, m);
  for (let i = 0; i < n; i++) {
    const ui = u[i];
    const row = i * m;
    for (let j = 0; j < m; j++) out[j] += K[row + j] * ui;
  }
};
