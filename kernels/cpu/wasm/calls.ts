/**
 * What every wasm kernel call shares: the thread settings (following the fast kernels' unless
 * overridden), when a call is split, how [0, n) is cut into chunks, running a job on one thread
 * or the pool, and the fallback when the operands do not fit the wasm memory.
 */
import { fastThreadSetting } from '../fast/index.js';
import { wRunPart } from './parts.js';
import { ensureWasmWorkers, runWasmChunked, wasmWorkersReady } from './pool.js';
import { MAX_THREADS, WasmCapacityError, wasmFailure, wasmRuntime, type WasmRuntime } from './runtime.js';

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

/** The threads asked for: the override, else the fast kernels' setting (at most MAX_THREADS). */
export const wantedThreads = (): number => Math.min(MAX_THREADS, threadOverride || fastThreadSetting());

/** The threads a call may use now (the calling thread and the workers that started). */
export const wasmThreads = (rt: WasmRuntime): number => {
  const want = wantedThreads();
  return want <= 1 || !rt.shared ? 1 : 1 + ensureWasmWorkers(rt, want - 1);
};

/** Resolves with the threads the wasm kernels will use once their workers are up (a browser starts them in the background). */
export const wasmThreadsReady = async (): Promise<number> => {
  const rt = wasmRuntime();
  if (!rt) return 1;
  const want = wantedThreads();
  return want <= 1 || !rt.shared ? 1 : 1 + (await wasmWorkersReady(rt, want - 1));
};

export const runtimeOrThrow = (): WasmRuntime => {
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

/** Threads for a call of `flops` over `units` splittable units (1 below the parallel threshold). */
export const threadsFor = (rt: WasmRuntime, flops: number, units: number): number =>
  flops < parallelMinFlops || units < 2 ? 1 : Math.min(wasmThreads(rt), units);

/** Runs a job on one thread (one chunk spanning `n`) or split by `bounds`; returns chunks run per thread. */
export const run = (rt: WasmRuntime, kind: string, p: number[], n: number, threads: number, bounds: number[]): number[] => {
  if (threads <= 1 || bounds.length <= 2) {
    wRunPart(rt.main, kind, p, 0, n, 0);
    return [1];
  }
  return runWasmChunked(rt, kind, p, bounds, threads);
};

/** Runs `body`; false when the operands did not fit the wasm memory. */
export const fits = (body: () => void): boolean => {
  try {
    body();
    return true;
  } catch (e) {
    if (e instanceof WasmCapacityError) return false;
    throw e;
  }
};
