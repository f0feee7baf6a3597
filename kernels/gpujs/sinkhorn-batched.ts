/**
 * GPU.js kernels for the batched Sinkhorn scaling form (Alg. 1). The P problems are padded to
 * one [P, nMax, mMax] block (padding cells of K and K~ are 0 and are skipped by the size tests),
 * and each iteration is two kernels, one thread per output entry:
 *   colStep: w[p, j] = b[p, j] / (sum_i K[p, i, j] u[p, i] + guard)       (b ./ K^T u)
 *   rowStep: u[p, i] = 1 / (sum_j K~[p, i, j] w[p, j] + guard)            (1 ./ K~ w)
 * then a plan kernel X = u K v. K = exp(-lambda C) and K~ are formed on the CPU (O(nm) once),
 * the relative change of u and the error trace from the downloaded u (O(n) per iteration).
 * GPU.js computes in float32 whatever the batch dtype: compare with float32 tolerances.
 * Kernels are compiled per (P, nMax, mMax) signature and cached. The GPU instance (and so the
 * mode: webasm without a display, headlessgl under xvfb) is the caller's.
 */
import { kernelClassOf } from './runtime.js';
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import type { BatchedRaw, BatchedScalingKernel, PackedBatch } from '../../lib/ot/batched.js';
import type { ResolvedOptions } from '../../lib/ot/options.js';

interface Kernels {
  col: IKernelRunShortcut;
  row: IKernelRunShortcut;
  plan: IKernelRunShortcut;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- GPU.js kernels are parsed from source and use `this.thread` */
function colStep(this: any, K: number[], u: number[], b: number[], ns: number[], ms: number[], guard: number): number {
  const nMax = this.constants.nMax;
  const mMax = this.constants.mMax;
  const p = Math.floor(this.thread.x / mMax);
  const j = this.thread.x - p * mMax;
  if (j >= ms[p]) return 0;
  let s = 0;
  for (let i = 0; i < nMax; i++) {
    if (i < ns[p]) s += K[(p * nMax + i) * mMax + j] * u[p * nMax + i];
  }
  return b[this.thread.x] / (s + guard);
}

function rowStep(this: any, Kt: number[], w: number[], ns: number[], zeroRow: number[], guard: number): number {
  const nMax = this.constants.nMax;
  const mMax = this.constants.mMax;
  const p = Math.floor(this.thread.x / nMax);
  const i = this.thread.x - p * nMax;
  if (i >= ns[p]) return 0;
  if (zeroRow[this.thread.x] > 0) return 0; // a_i = 0 without a guard: u_i = a_i / (K w)_i = 0
  let s = 0;
  for (let j = 0; j < mMax; j++) s += Kt[(p * nMax + i) * mMax + j] * w[p * mMax + j];
  return 1 / (s + guard);
}

function planStep(this: any, K: number[], u: number[], v: number[]): number {
  const nMax = this.constants.nMax;
  const mMax = this.constants.mMax;
  const x = this.thread.x;
  const p = Math.floor(x / (nMax * mMax));
  const r = x - p * nMax * mMax;
  const i = Math.floor(r / mMax);
  const j = r - i * mMax;
  return u[p * nMax + i] * K[x] * v[p * mMax + j];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface GpujsBatchedSinkhorn extends BatchedScalingKernel {
  /** GPU.js mode requested of the GPU instance ('gpu' lands on WebAssembly without a GL context). */
  readonly mode: string;
  /** The kernel class GPU.js really compiled to (after a first run; 'none yet' before), e.g. 'HeadlessGLKernel'. */
  readonly kernelClass: () => string;
  /** Destroys the compiled kernels (the GPU instance stays the caller's). */
  readonly dispose: () => void;
}

export const createGpujsBatchedSinkhorn = (gpu: GPU): GpujsBatchedSinkhorn => {
  const cache = new Map<string, Kernels>();
  const kernelsFor = (P: number, nMax: number, mMax: number): Kernels => {
    const key = `${P}x${nMax}x${mMax}`;
    let k = cache.get(key);
    if (!k) {
      const constants = { nMax, mMax };
      const common = { constants, precision: 'single' as const, tactic: 'precision' as const, dynamicOutput: false };
      k = {
        col: gpu.createKernel(colStep as never, { ...common, output: [P * mMax] }),
        row: gpu.createKernel(rowStep as never, { ...common, output: [P * nMax] }),
        plan: gpu.createKernel(planStep as never, { ...common, output: [P * nMax * mMax] }),
      };
      cache.set(key, k);
    }
    return k;
  };

  const run = (batch: PackedBatch, o: ResolvedOptions, out: BatchedRaw): void => {
    const P = batch.count;
    let nMax = 1;
    let mMax = 1;
    for (let p = 0; p < P; p++) {
      nMax = Math.max(nMax, batch.n[p]);
      mMax = Math.max(mMax, batch.m[p]);
    }
    const { lambda, guard, iterations, tolerance } = o;
    const K = new Float32Array(P * nMax * mMax);
    const Kt = new Float32Array(P * nMax * mMax);
    const b = new Float32Array(P * mMax);
    let u: Float32Array = new Float32Array(P * nMax);
    const ns = Float32Array.from(batch.n);
    const zeroRow = new Float32Array(P * nMax);
    const ms = Float32Array.from(batch.m);
    for (let p = 0; p < P; p++) {
      const n = batch.n[p];
      const m = batch.m[p];
      for (let i = 0; i < n; i++) {
        const ag = batch.a[batch.rowOff[p] + i] + guard;
        const s = ag === 0 ? 0 : 1 / ag;
        zeroRow[p * nMax + i] = ag === 0 ? 1 : 0;
        u[p * nMax + i] = 1 / n;
        for (let j = 0; j < m; j++) {
          const kij = Math.exp(-lambda * batch.cost[batch.matOff[p] + i * m + j]);
          K[(p * nMax + i) * mMax + j] = kij;
          Kt[(p * nMax + i) * mMax + j] = s * kij;
        }
      }
      for (let j = 0; j < m; j++) b[p * mMax + j] = batch.b[batch.colOff[p] + j];
    }
    const k = kernelsFor(P, nMax, mMax);
    const active = new Uint8Array(P).fill(1);
    let remaining = P;
    for (let t = 1; t <= iterations && remaining > 0; t++) {
      const w = k.col(K, u, b, ns, ms, guard) as Float32Array;
      const uNew = k.row(Kt, w, ns, zeroRow, guard) as Float32Array;
      for (let p = 0; p < P; p++) {
        if (!active[p]) {
          // a problem that already stopped keeps its u (the others go on)
          for (let i = 0; i < batch.n[p]; i++) uNew[p * nMax + i] = u[p * nMax + i];
          continue;
        }
        let err = 0;
        let diff = 0;
        let umax = 0;
        for (let i = 0; i < batch.n[p]; i++) {
          const ai = batch.a[batch.rowOff[p] + i];
          const uo = u[p * nMax + i];
          const un = uNew[p * nMax + i];
          if (ai + guard > 0) err += Math.abs(uo * (1 / un - guard) * (ai + guard) - ai);
          diff = Math.max(diff, Math.abs(un - uo));
          umax = Math.max(umax, Math.abs(un));
        }
        out.trace[p * iterations + t - 1] = err;
        out.change[p] = diff / (umax || 1);
        out.iterations[p] = t;
        if ((tolerance > 0 && out.change[p] <= tolerance) || !(umax < Infinity)) {
          active[p] = 0;
          remaining--;
        }
      }
      u = uNew;
    }
    const v = k.col(K, u, b, ns, ms, guard) as Float32Array;
    const plan = k.plan(K, u, v) as Float32Array;
    for (let p = 0; p < P; p++) {
      const n = batch.n[p];
      const m = batch.m[p];
      for (let i = 0; i < n; i++) {
        out.u[batch.rowOff[p] + i] = u[p * nMax + i];
        for (let j = 0; j < m; j++) out.plan[batch.matOff[p] + i * m + j] = plan[(p * nMax + i) * mMax + j];
      }
      for (let j = 0; j < m; j++) out.v[batch.colOff[p] + j] = v[p * mMax + j];
    }
  };

  return {
    name: `gpujs-batched(${gpu.mode})`,
    mode: gpu.mode,
    kernelClass: () => {
      const first = cache.values().next();
      return first.done ? 'none yet' : kernelClassOf(first.value.col);
    },
    run,
    dispose: () => {
      for (const k of cache.values()) for (const kern of [k.col, k.row, k.plan]) kern.destroy();
      cache.clear();
    },
  };
};
