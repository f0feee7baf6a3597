/**
 * Fast float32 CPU kernels: packed, cache-blocked GEMM with a 4x4 register tile (gemm.ts),
 * convolutions as im2col + GEMM (conv.ts, jobs.ts), and a persistent worker pool (pool.ts) for
 * a second thread. Outputs are preallocated by the caller (possibly over a SharedArrayBuffer)
 * and fully overwritten; inputs are never modified.
 *
 * Threads: `setFastThreads(n)`, else env ELIM_THREADS, else min(2, availableParallelism()).
 * Small problems stay on the calling thread. Arrays not on a SharedArrayBuffer are staged
 * through pooled shared scratch buffers when a call runs on more than one thread.
 */
import { convParams } from '../conv-params.js';
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
import { newScratch } from './gemm.js';
import { runPart, type JobKind } from './jobs.js';
import { ensureWorkers, isShared, runChunked, sharedScratch, poolFailure, workersReady, type Part } from './pool.js';
import { envVar, hardwareThreads } from '../threads/host.js';

export type Shape3 = readonly [number, number, number];
export type Shape4 = readonly number[];

const defaultThreads = (): number => {
  const env = Number.parseInt(envVar('ELIM_THREADS') ?? '', 10);
  if (Number.isFinite(env) && env >= 1) return env;
  return Math.max(1, Math.min(2, hardwareThreads()));
};

/** The setting; read from the host on first use, not at load. */
let threadSetting: number | null = null;
const wanted = (): number => (threadSetting ??= defaultThreads());

/** Sets the number of threads (the calling one included) the fast kernels may use. */
export function setFastThreads(n: number): void {
  threadSetting = Math.max(1, Math.floor(n));
}

/** The thread setting (what setFastThreads, ELIM_THREADS or the default asked for, whether or not obtained). */
export const fastThreadSetting = (): number => wanted();

/** Threads the fast kernels may use (1 when the worker pool could not start). */
export function fastThreads(): number {
  const threads = wanted();
  if (threads > 1 && ensureWorkers(threads - 1) < threads - 1) return 1 + ensureWorkers(threads - 1);
  return threads;
}

/** Resolves with the threads the fast kernels will use once their workers are up (a browser starts them in the background). */
export const fastThreadsReady = async (): Promise<number> => {
  const threads = wanted();
  return threads <= 1 ? 1 : 1 + (await workersReady(threads - 1));
};

/** Why the worker pool is unavailable ('' when it is fine or was never needed). */
export const fastThreadsFailure = (): string => poolFailure();

/** Below this many flops a call stays on the calling thread (a worker round trip is ~50 µs). */
const DEFAULT_PARALLEL_MIN_FLOPS = 1 << 22;
let parallelMinFlops = DEFAULT_PARALLEL_MIN_FLOPS;

/** Sets the size (flops) from which a call is split over threads; no argument restores the default. Tests use 0. */
export function setFastParallelMinFlops(flops: number = DEFAULT_PARALLEL_MIN_FLOPS): void {
  parallelMinFlops = Math.max(0, flops);
}

const mainScratch = newScratch();

/** Splits [0, n) into up to `parts` non-empty ranges whose bounds are multiples of `align`. */
export const splitRange = (n: number, parts: number, align: number): Part[] => {
  const out: Part[] = [];
  let lo = 0;
  for (let i = 0; i < parts && lo < n; i++) {
    let hi = i === parts - 1 ? n : Math.round((n * (i + 1)) / parts / align) * align;
    hi = Math.min(n, Math.max(hi, lo + align));
    if (hi > lo) out.push({ lo, hi });
    lo = hi;
  }
  return out;
};

/**
 * Runs a job: on the calling thread alone when `threads` is 1 (chunks[0] then spans the whole
 * split axis), else its chunks are shared out dynamically over `threads` threads. The last
 * array is the output. Arrays not on a SharedArrayBuffer are staged through shared scratch
 * (outputs copied back). Every chunk owns disjoint output cells, so the result does not depend
 * on which thread ran which chunk.
 */
const runJob = (kind: JobKind, arrs: Float32Array[], p: number[], chunks: Part[], threads: number): void => {
  if (threads <= 1 || chunks.length <= 1) {
    for (const c of chunks) runPart(kind, arrs, p, c.lo, c.hi, mainScratch);
    return;
  }
  const staged = arrs.map((a, i) => {
    if (isShared(a)) return a;
    const s = sharedScratch(i, a.length);
    if (i < arrs.length - 1) s.set(a);
    return s;
  });
  const last = arrs.length - 1;
  const out = staged[last];
  runChunked(kind, staged, p, chunks, threads, mainScratch);
  if (out !== arrs[last]) arrs[last].set(out);
};

/** Threads worth using for `flops` of work with `units` splittable units. */
const threadsFor = (flops: number, units: number): number => {
  if (wanted() <= 1 || flops < parallelMinFlops || units < 2) return 1;
  return Math.min(fastThreads(), units);
};

/** Batched matmul: C[t] = op(A[t]) op(B[t]); ba/bb equal or 1 (broadcast); out [max(ba,bb), M, N]. */
export function fastMatmul(a: Float32Array, aShape: Shape3, b: Float32Array, bShape: Shape3, transA: boolean, transB: boolean, out: Float32Array): void {
  const [ba, ar, ac] = aShape;
  const [bb, br, bc] = bShape;
  const M = transA ? ac : ar;
  const K = transA ? ar : ac;
  const N = transB ? br : bc;
  const batch = Math.max(ba, bb);
  const flops = 2 * batch * M * N * K;
  const byBatch = batch >= 4 || (batch >= 2 && batch % 2 === 0);
  const split = byBatch ? 0 : M >= N ? 1 : 2;
  const units = split === 0 ? batch : Math.ceil((split === 1 ? M : N) / 4);
  const t = threadsFor(flops, units);
  const p = [ba, ar, ac, bb, br, bc, transA ? 1 : 0, transB ? 1 : 0, t === 1 ? 0 : split];
  // row/column chunks each repack the other operand, so fewer of them than for batches
  const chunks = t === 1 ? [{ lo: 0, hi: batch }] : splitRange(split === 0 ? batch : split === 1 ? M : N, t * (split === 0 ? 4 : 3), split === 0 ? 1 : 4);
  runJob('matmul', [a, b, out], p, chunks, t);
}

const convFlops = (p: readonly number[]): number => 2 * p[0] * p[4] * p[1] * p[5] * p[6] * p[11] * p[12];

/**
 * Chunks and threads for a conv: over images when there are at least as many as threads, else
 * over `channels` (output or input channels); sets the split flag p[13].
 */
const convPlan = (p: number[], channels: number, overImages = true): { chunks: Part[]; threads: number } => {
  const N = p[0];
  const tImages = overImages ? threadsFor(convFlops(p), N) : 1;
  if (tImages > 1) {
    p[13] = 0;
    return { chunks: splitRange(N, Math.min(N, tImages * 4), 1), threads: tImages };
  }
  const tCh = threadsFor(convFlops(p), channels);
  if (tCh > 1) {
    p[13] = 1;
    return { chunks: splitRange(channels, Math.min(channels, tCh * 3), 1), threads: tCh };
  }
  p[13] = 0;
  return { chunks: [{ lo: 0, hi: N }], threads: 1 };
};

/** x [N,C,H,W], w [O,C,KH,KW] -> out [N,O,OH,OW]. */
export function fastConv2d(x: Float32Array, xShape: Shape4, w: Float32Array, wShape: Shape4, attrs: Conv2dAttrs, out: Float32Array): void {
  const p = convParams(xShape, wShape, attrs);
  const { chunks, threads: t } = convPlan(p, p[4]);
  runJob('conv2d', [x, w, out], p, chunks, t);
}

/** dy [N,O,OH,OW], w [O,C,KH,KW] -> out = dx [N,C,H,W]. */
export function fastConv2dBackwardInput(
  dy: Float32Array,
  dyShape: Shape4,
  w: Float32Array,
  wShape: Shape4,
  xShape: Shape4,
  attrs: Conv2dAttrs,
  out: Float32Array,
): void {
  void dyShape;
  const p = convParams(xShape, wShape, attrs);
  const { chunks, threads: t } = convPlan(p, p[1]);
  runJob('conv2dBackwardInput', [dy, w, out], p, chunks, t);
}

/**
 * x [N,C,H,W], dy [N,O,OH,OW] -> out = dw [O,C,KH,KW]. Split over output channels only: each
 * chunk owns whole rows of dW, so the result does not depend on how chunks are shared out between
 * threads (over images, each thread summed whichever images it happened to take, and dW's rounding
 * changed from run to run). The price is im2col once per chunk instead of once per image; this
 * path is the fallback where WebAssembly SIMD is missing (the wasm kernel keeps the image split
 * with one partial per chunk, added in order).
 */
export function fastConv2dBackwardFilter(
  x: Float32Array,
  xShape: Shape4,
  dy: Float32Array,
  dyShape: Shape4,
  wShape: Shape4,
  attrs: Conv2dAttrs,
  out: Float32Array,
): void {
  void dyShape;
  const p = convParams(xShape, wShape, attrs);
  const { chunks, threads: t } = convPlan(p, p[4], false);
  runJob('conv2dBackwardFilter', [x, dy, out], p, chunks, t);
}
