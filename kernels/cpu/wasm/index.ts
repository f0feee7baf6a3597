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
 * governs the CPU backend. This file holds availability and matmul; the convolutions and the
 * max pool are in conv-calls.ts, what every call shares (threads, splitting) in calls.ts.
 */
import { envVar } from '../threads/host.js';
import { fits, runtimeOrThrow, run, splitBounds, threadsFor, wantedThreads, wasmThreads } from './calls.js';
import { runWasmChunked, wasmPoolFailure } from './pool.js';
import { Arena, wasmFailure, wasmRuntime } from './runtime.js';

export { wasmFailure } from './runtime.js';
export { setWasmParallelMinFlops, setWasmThreads, splitBounds, wasmThreadsReady } from './calls.js';
export { isMaxPool2x2, wasmConv2d, wasmConv2dBackwardFilter, wasmConv2dBackwardInput, wasmMaxPool2x2, type ConvEpilogue } from './conv-calls.js';
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
  const want = wantedThreads();
  // fewer threads than asked: say why (unshared memory in a page that is not cross-origin isolated, a worker that failed)
  const why = t < want ? (rt.shared ? wasmPoolFailure() || 'workers still starting' : 'memory not shared') : '';
  return `wasm-simd128${rt.shape.relaxed ? '-relaxed' : ''} ${rt.shape.MR}x${rt.shape.NR} (${t} thread${t === 1 ? '' : 's'}${why ? `: ${why}` : ''})`;
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
