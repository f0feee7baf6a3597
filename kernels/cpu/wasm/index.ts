/**
 * WebAssembly SIMD float32 kernels for the CPU backend: batched matmul (fastMatmul semantics)
 * and conv2d with both backward passes as im2col + GEMM, on one thread or split over a
 * persistent worker pool sharing the wasm memory. Operands are copied into the shared wasm
 * memory and the result copied back (a few % of a 512 GEMM, measured in bench/kernels.ts's
 * "copy" note) — the backend's own buffers are SharedArrayBuffers outside that memory.
 *
 * `wasmKernelsAvailable()` is false (and `wasmFailure()` says why) when ELIM_WASM=0 or the
 * runtime lacks WebAssembly SIMD or shared memory; callers then use the TypeScript kernels.
 * Each kernel returns false, having written nothing, when its operands do not fit the wasm
 * memory (2 GiB): the caller then runs the TypeScript kernel.
 * Threads follow the fast kernels' setting (setFastThreads / ELIM_THREADS), so one knob
 * governs the CPU backend.
 */
import { convParams } from '../conv-params.js';
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
import { fastThreadSetting } from '../fast/index.js';
import { wPackA, wRunPart } from './driver.js';
import { ensureWasmWorkers, runWasmChunked, wasmPoolFailure, wasmWorkersReady } from './pool.js';
import { envVar } from '../threads/host.js';
import { Arena, MAX_THREADS, WasmCapacityError, wasmFailure, wasmRuntime, type WasmRuntime } from './runtime.js';

export { wasmFailure } from './runtime.js';
export type Shape3 = readonly [number, number, number];

export const wasmKernelsAvailable = (): boolean => wasmRuntime() !== null;

/**
 * Why the CPU backend should not use these kernels now ('' = use them): env ELIM_WASM=0
 * (read per call, so tests can toggle it) or the runtime is unavailable.
 */
export const wasmOffReason = (): string => {
  if (envVar('ELIM_WASM') === '0') return 'disabled by ELIM_WASM=0';
  return wasmRuntime() ? '' : wasmFailure();
};

/** A description of the kernels obtained, e.g. 'wasm-simd128 4x8 (2 threads)'. */
export const wasmKernelInfo = (): string => {
  const rt = wasmRuntime();
  if (!rt) return `unavailable: ${wasmFailure()}`;
  const t = wasmThreads(rt);
  const want = Math.min(MAX_THREADS, threadOverride || fastThreadSetting());
  // fewer threads than asked: say why (unshared memory in a page that is not cross-origin isolated, a worker that failed)
  const why = t < want ? (rt.shared ? wasmPoolFailure() || 'workers still starting' : 'memory not shared') : '';
  return `wasm-simd128${rt.shape.relaxed ? '-relaxed' : ''} ${rt.shape.MR}x${rt.shape.NR} (${t} thread${t === 1 ? '' : 's'}${why ? `: ${why}` : ''})`;
};

const DEFAULT_PARALLEL_MIN_FLOPS = 1 << 22;
let parallelMinFlops = DEFAULT_PARALLEL_MIN_FLOPS;

/** From how many flops a call is split over threads; no argument restores the default. Tests use 0. */
export function setWasmParallelMinFlops(flops: number = DEFAULT_PARALLEL_MIN_FLOPS): void {
  parallelMinFlops = Math.max(0, flops);
}

let threadOverride = 0;
/** Overrides the thread count (0 = follow the fast kernels' setting). For benchmarks. */
export function setWasmThreads(n = 0): void {
  threadOverride = Math.max(0, Math.floor(n));
}

const wasmThreads = (rt: WasmRuntime): number => {
  const want = Math.min(MAX_THREADS, threadOverride || fastThreadSetting());
  return want <= 1 || !rt.shared ? 1 : 1 + ensureWasmWorkers(rt, want - 1);
};

/** Resolves with the threads the wasm kernels will use once their workers are up (a browser starts them in the background). */
export const wasmThreadsReady = async (): Promise<number> => {
  const rt = wasmRuntime();
  if (!rt) return 1;
  const want = Math.min(MAX_THREADS, threadOverride || fastThreadSetting());
  return want <= 1 || !rt.shared ? 1 : 1 + (await wasmWorkersReady(rt, want - 1));
};

/** Why the wasm worker pool is unavailable ('' when fine). */
export const wasmThreadsFailure = (): string => wasmPoolFailure();

const runtimeOrThrow = (): WasmRuntime => {
  const rt = wasmRuntime();
  if (!rt) throw new Error(`wasm kernels unavailable: ${wasmFailure()}`);
  return rt;
};

/** Splits [0, n) into up to `parts` ranges with bounds at multiples of `align`: [lo0, hi0, lo1, hi1, ...]. */
export const splitBounds = (n: number, parts: number, align: number): number[] => {
  const out: number[] = [];
  let lo = 0;
  for (let i = 0; i < parts && lo < n; i++) {
    let hi = i === parts - 1 ? n : Math.round((n * (i + 1)) / parts / align) * align;
    hi = Math.min(n, Math.max(hi, lo + align));
    if (hi > lo) out.push(lo, hi);
    lo = hi;
  }
  return out;
};

const threadsFor = (rt: WasmRuntime, flops: number, units: number): number => (flops < parallelMinFlops || units < 2 ? 1 : Math.min(wasmThreads(rt), units));

/** Runs a job on one thread (one chunk spanning `n`) or split by `bounds`; returns chunks run per thread. */
const run = (rt: WasmRuntime, kind: string, p: number[], n: number, threads: number, bounds: number[]): number[] => {
  if (threads <= 1 || bounds.length <= 2) {
    wRunPart(rt.main, kind, p, 0, n, 0);
    return [1];
  }
  return runWasmChunked(rt, kind, p, bounds, threads);
};

/** Runs `body`; false when the operands did not fit the wasm memory. */
const fits = (body: () => void): boolean => {
  try {
    body();
    return true;
  } catch (e) {
    if (e instanceof WasmCapacityError) return false;
    throw e;
  }
};

/**
 * Batched matmul: out[t] = op(A[t]) op(B[t]); ba/bb equal or 1 (broadcast); out [max(ba,bb), M, N].
 * False (nothing written) when the operands do not fit the wasm memory.
 */
export function wasmMatmul(a: Float32Array, aShape: Shape3, b: Float32Array, bShape: Shape3, transA: boolean, transB: boolean, out: Float32Array): boolean {
  return fits(() => matmul(a, aShape, b, bShape, transA, transB, out));
}

function matmul(a: Float32Array, aShape: Shape3, b: Float32Array, bShape: Shape3, transA: boolean, transB: boolean, out: Float32Array): void {
  const rt = runtimeOrThrow();
  const [ba, ar, ac] = aShape;
  const [bb, br, bc] = bShape;
  const M = transA ? ac : ar,
    K = transA ? ar : ac,
    N = transB ? br : bc;
  const batch = Math.max(ba, bb);
  const mem = new Arena(rt);
  const A = mem.put(a.subarray(0, ba * ar * ac));
  const B = mem.put(b.subarray(0, bb * br * bc));
  const C = mem.alloc(batch * M * N);
  const byBatch = batch >= 4 || (batch >= 2 && batch % 2 === 0);
  const aRs = transA ? 1 : ac,
    aCs = transA ? ac : 1,
    bRs = transB ? 1 : bc,
    bCs = transB ? bc : 1;
  // one product split over threads: pack B once, shared, then split C's rows (see wPackBPart)
  if (batch === 1 && K > 0 && N <= rt.blocking.NC) {
    const t = threadsFor(rt, 2 * M * N * K, Math.ceil(M / rt.shape.MR));
    if (t > 1) {
      const NR = rt.shape.NR;
      const nPad = Math.ceil(N / NR) * NR;
      const BP = mem.alloc(nPad * K);
      const p = [M, N, K, A, aRs, aCs, B, bRs, bCs, C, BP, nPad];
      runWasmChunked(rt, 'packB', p, splitBounds(N, t * 2, NR), t);
      runWasmChunked(rt, 'rowsOnPackedB', p, splitBounds(M, t * 2, rt.shape.MR), t);
      out.set(mem.view(C, M * N));
      return;
    }
  }
  const split = byBatch ? 0 : M >= N ? 1 : 2;
  const units = split === 0 ? batch : split === 1 ? Math.ceil(M / rt.shape.MR) : Math.ceil(N / rt.shape.NR);
  const t = threadsFor(rt, 2 * batch * M * N * K, units);
  const p = [ba, ar, ac, bb, br, bc, transA ? 1 : 0, transB ? 1 : 0, t === 1 ? 0 : split, A, B, C];
  // each row/column chunk repacks the other operand: few of them (2 per thread)
  const bounds =
    t === 1 ? [] : split === 0 ? splitBounds(batch, t * 4, 1) : split === 1 ? splitBounds(M, t * 2, rt.shape.MR) : splitBounds(N, t * 2, rt.shape.NR);
  run(rt, 'matmul', p, batch, t, bounds);
  out.set(mem.view(C, batch * M * N));
}

/** Threads and chunk bounds for a conv: over images when enough, else over `channels`; sets p[13]. */
const convPlan = (rt: WasmRuntime, p: number[], channels: number): { threads: number; bounds: number[]; n: number } => {
  const N = p[0];
  const flops = 2 * N * p[4] * p[1] * p[5] * p[6] * p[11] * p[12];
  const tImages = threadsFor(rt, flops, N);
  if (tImages > 1) return { threads: tImages, bounds: splitBounds(N, Math.min(N, tImages * 4), 1), n: N };
  const tCh = threadsFor(rt, flops, channels);
  if (tCh > 1) {
    p[13] = 1;
    return { threads: tCh, bounds: splitBounds(channels, Math.min(channels, tCh * 3), 1), n: channels };
  }
  return { threads: 1, bounds: [], n: N };
};

type ConvKind = 'conv2d' | 'conv2dBackwardInput' | 'conv2dBackwardFilter';

/** Copies the inputs in, runs `kind`, copies the result out (summing per-thread partial dW). */
/** The fused forward epilogue: out = act(conv + bias[o]). */
export interface ConvEpilogue {
  readonly bias: Float32Array;
  readonly relu: boolean;
}

const runConv = (
  kind: ConvKind,
  in0: Float32Array,
  in1: Float32Array,
  p: number[],
  outLen: number,
  channels: number,
  out: Float32Array,
  epi?: ConvEpilogue,
): boolean => fits(() => conv(kind, in0, in1, p, outLen, channels, out, epi));

const conv = (
  kind: ConvKind,
  in0: Float32Array,
  in1: Float32Array,
  p: number[],
  outLen: number,
  channels: number,
  out: Float32Array,
  epi?: ConvEpilogue,
): void => {
  const rt = runtimeOrThrow();
  const plan = convPlan(rt, p, channels);
  const pointwise = p[5] === 1 && p[6] === 1 && p[7] === 1 && p[8] === 1 && p[9] === 0 && p[10] === 0;
  const colLen = pointwise ? 0 : p[1] * p[5] * p[6] * p[11] * p[12];
  const mem = new Arena(rt);
  const A = mem.put(in0),
    B = mem.put(in1);
  // backward filter over images: one partial dW per chunk, added in chunk order (see wConvBackFilterPart)
  const split = plan.threads > 1 && plan.bounds.length > 2;
  const partials = kind === 'conv2dBackwardFilter' && p[13] === 0 && split ? plan.bounds.length / 2 : 1;
  const O = mem.alloc(outLen * partials);
  const outBytes = outLen * 4;
  const colBytes = Math.ceil((colLen * 4) / 64) * 64;
  const col = mem.alloc((colBytes / 4) * plan.threads);
  const bias = epi ? mem.put(epi.bias.subarray(0, p[4])) : 0;
  p.push(A, B, O, col, colBytes, outBytes, bias, epi?.relu ? 1 : 0);
  // forward over whole images: pack the weights once for every image and thread
  if (kind === 'conv2d' && p[13] === 0) {
    const K = p[1] * p[5] * p[6];
    const mPad = Math.ceil(p[4] / rt.shape.MR) * rt.shape.MR;
    const AP = mem.alloc(mPad * Math.max(1, K));
    wPackA(rt.main, p[4], K, B, K, 1, AP, mPad);
    p.push(AP, mPad);
  } else p.push(0, 0);
  run(rt, kind, p, plan.n, plan.threads, plan.bounds);
  const res = mem.view(O, outLen);
  for (let c = 1; c < partials; c++) {
    const part = mem.view(O + c * outBytes, outLen);
    for (let i = 0; i < outLen; i++) res[i] += part[i];
  }
  out.set(res);
};

/**
 * x [N,C,H,W], w [O,C,KH,KW] -> out [N,O,OH,OW], with the fused bias (+ ReLU) epilogue when
 * `epi` is given; false when too big (see wasmMatmul).
 */
export function wasmConv2d(
  x: Float32Array,
  xShape: readonly number[],
  w: Float32Array,
  wShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
  epi?: ConvEpilogue,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return runConv('conv2d', x, w, p, p[0] * p[4] * p[11] * p[12], p[4], out, epi);
}

/** dy [N,O,OH,OW], w [O,C,KH,KW] -> out = dx [N,C,H,W]; false when too big. */
export function wasmConv2dBackwardInput(
  dy: Float32Array,
  w: Float32Array,
  wShape: readonly number[],
  xShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return runConv('conv2dBackwardInput', dy, w, p, p[0] * p[1] * p[2] * p[3], p[1], out);
}

/** x [N,C,H,W], dy [N,O,OH,OW] -> out = dw [O,C,KH,KW]; false when too big. */
export function wasmConv2dBackwardFilter(
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  wShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return runConv('conv2dBackwardFilter', x, dy, p, p[4] * p[1] * p[5] * p[6], p[4], out);
}

/** True for the pool the wasm max-pool kernels cover: 2x2 window, stride 2, no padding. */
export const isMaxPool2x2 = (a: { readonly kernel: readonly number[]; readonly stride: readonly number[]; readonly pad: readonly number[] }): boolean =>
  a.kernel[0] === 2 && a.kernel[1] === 2 && a.stride[0] === 2 && a.stride[1] === 2 && a.pad[0] === 0 && a.pad[1] === 0;

/**
 * 2x2 stride-2 max pool: x [N,C,H,W] -> out [N,C,H>>1,W>>1]; with `dy` given, the backward
 * pass instead: out = dx [N,C,H,W]. Split over planes when big. False when too big for the
 * wasm memory (see wasmMatmul).
 */
export function wasmMaxPool2x2(x: Float32Array, xShape: readonly number[], dy: Float32Array | null, out: Float32Array): boolean {
  return fits(() => {
    const rt = runtimeOrThrow();
    const [N, C, H, W] = xShape;
    const planes = N * C;
    const mem = new Arena(rt);
    const X = mem.put(x.subarray(0, planes * H * W));
    const DY = dy ? mem.put(dy.subarray(0, planes * (H >> 1) * (W >> 1))) : 0;
    const O = mem.alloc(out.length);
    // memory-bound: split once the input is as big as a parallel GEMM's flop count
    const t = threadsFor(rt, x.length, planes);
    run(rt, 'maxPool2x2', [dy ? 1 : 0, H, W, X, DY, O], planes, t, t === 1 ? [] : splitBounds(planes, t * 4, 1));
    out.set(mem.view(O, out.length));
  });
}
