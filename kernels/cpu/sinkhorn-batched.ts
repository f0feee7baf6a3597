/**
 * The CPU batched Sinkhorn kernel (scaling form, Alg. 1) over lib/ot's packed layout: one pass
 * per problem through tight typed-array loops, with a workspace (K, K~, K^T u, b ./ K^T u, ...)
 * that is allocated once per kernel instance and only grown, never per iteration. The
 * arithmetic is the same, step for step and in the same storage type, as lib/ot/sinkhorn-
 * scaling.ts, so batched and one-by-one results agree to the last bit.
 */
import type { BatchedRaw, BatchedScalingKernel, PackedBatch } from '../../lib/ot/batched.js';
import type { ResolvedOptions } from '../../lib/ot/options.js';
import type { OtDType, Real } from '../../lib/ot/problem.js';

interface Workspace {
  dtype: OtDType;
  K: Real;
  Kt: Real;
  ktu: Real;
  w: Real;
  ktw: Real;
  uNew: Real;
}

const grow = (ws: Workspace | null, dtype: OtDType, mat: number, vec: number): Workspace => {
  if (ws && ws.dtype === dtype && ws.K.length >= mat && ws.ktu.length >= vec) return ws;
  const make = (k: number) => (dtype === 'float64' ? new Float64Array(k) : new Float32Array(k));
  return { dtype, K: make(mat), Kt: make(mat), ktu: make(vec), w: make(vec), ktw: make(vec), uNew: make(vec) };
};

export const createCpuBatchedSinkhorn = (): BatchedScalingKernel => {
  let ws: Workspace | null = null;
  const run = (batch: PackedBatch, o: ResolvedOptions, out: BatchedRaw): void => {
    let maxMat = 0;
    let maxVec = 0;
    for (let p = 0; p < batch.count; p++) {
      maxMat = Math.max(maxMat, batch.n[p] * batch.m[p]);
      maxVec = Math.max(maxVec, batch.n[p], batch.m[p]);
    }
    ws = grow(ws, batch.dtype, maxMat, maxVec);
    for (let p = 0; p < batch.count; p++) solveOne(batch, p, o, out, ws);
  };
  return { name: 'cpu-batched', run };
};

const solveOne = (batch: PackedBatch, p: number, o: ResolvedOptions, out: BatchedRaw, ws: Workspace): void => {
  const n = batch.n[p];
  const m = batch.m[p];
  const mo = batch.matOff[p];
  const ro = batch.rowOff[p];
  const co = batch.colOff[p];
  const { cost, a, b } = batch;
  const { lambda, guard, tolerance, iterations } = o;
  const { K, Kt, ktu, w, ktw, uNew } = ws;
  const u = out.u; // u lives in the output, at ro
  for (let i = 0; i < n; i++) {
    const s = a[ro + i] + guard === 0 ? 0 : 1 / (a[ro + i] + guard); // zero weight, no guard: u_i = 0
    for (let j = 0; j < m; j++) {
      const k = i * m + j;
      K[k] = Math.exp(-lambda * cost[mo + k]);
      Kt[k] = s * K[k];
    }
    u[ro + i] = 1 / n;
  }
  let change = Infinity;
  let t = 0;
  while (t < iterations) {
    t++;
    kTransposeTimes(K, n, m, u, ro, ktu);
    for (let j = 0; j < m; j++) w[j] = b[co + j] / (ktu[j] + guard);
    let err = 0;
    let diff = 0;
    let umax = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      const row = i * m;
      for (let j = 0; j < m; j++) s += Kt[row + j] * w[j];
      ktw[i] = s;
      const ui = a[ro + i] + guard === 0 ? 0 : 1 / (ktw[i] + guard);
      uNew[i] = ui;
      const uo = u[ro + i];
      err += Math.abs(uo * ktw[i] * (a[ro + i] + guard) - a[ro + i]);
      diff = Math.max(diff, Math.abs(ui - uo));
      umax = Math.max(umax, Math.abs(uNew[i]));
    }
    for (let i = 0; i < n; i++) u[ro + i] = uNew[i];
    out.trace[p * iterations + t - 1] = err;
    change = diff / (umax || 1);
    if (!(umax < Infinity) || Number.isNaN(diff)) break; // diverged: lib reports it
    if (tolerance > 0 && change <= tolerance) break;
  }
  kTransposeTimes(K, n, m, u, ro, ktu);
  for (let j = 0; j < m; j++) out.v[co + j] = b[co + j] / (ktu[j] + guard);
  for (let i = 0; i < n; i++) {
    const ui = u[ro + i];
    for (let j = 0; j < m; j++) out.plan[mo + i * m + j] = ui * K[i * m + j] * out.v[co + j];
  }
  out.iterations[p] = t;
  out.change[p] = change;
};

/** out_j = sum_i K_ij u_i, accumulated in the storage type like the reference kernel. */
const kTransposeTimes = (K: Real, n: number, m: number, u: Real, ro: number, out: Real): void => {
  out.fill(0, 0, m);
  for (let i = 0; i < n; i++) {
    const ui = u[ro + i];
    const row = i * m;
    for (let j = 0; j < m; j++) out[j] += K[row + j] * ui;
  }
};
