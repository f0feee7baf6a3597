/**
 * The wasm kernels' worker pool (../threads/worker-pool.ts: Node worker_threads or Web
 * Workers, started once and kept). Each worker instantiates the same compiled module over the
 * same shared WebAssembly.Memory, so a job is only its kind, integer parameters and chunk
 * bounds: operands already sit in the shared memory. Workers rebuild the job functions
 * from their source text (driver.ts, parts.ts).
 */
import { view, wgemm, wgemmPackedA, wMatmulPart, wPackBPart, wRowsOnPackedBPart, type WasmThread } from './driver.js';
import { wConvPart, wConvBackInputPart, wConvBackFilterPart, wMaxPoolPart, wRunPart, wRunChunks } from './parts.js';
import { isPointwise, matmulSplit, takeChunks } from '../threads/job-split.js';
import type { WasmMemory, WasmModule } from './api.js';
import { threadScratch, type WasmRuntime } from './runtime.js';
import { WorkerPool } from '../threads/worker-pool.js';

const DRIVER: ReadonlyArray<(...args: never[]) => unknown> = [
  view,
  wgemm,
  wgemmPackedA,
  wMatmulPart,
  wConvPart,
  wConvBackInputPart,
  wConvBackFilterPart,
  wMaxPoolPart,
  wPackBPart,
  wRowsOnPackedBPart,
  wRunPart,
  takeChunks,
  matmulSplit,
  isPointwise,
  wRunChunks,
];

interface WasmInit {
  module: WasmModule;
  memory: WasmMemory;
  t: number;
  b: { MC: number; KC: number; NC: number };
  s: { ap: number; bp: number; tmp: number };
}

interface WasmJob {
  readonly kind: string;
  readonly p: readonly number[];
  readonly bounds: readonly number[];
  readonly next: Int32Array;
}

/** Worker side: instantiate the module over the shared memory (the global WebAssembly; this text runs untyped). */
function wasmSetup(d: WasmInit): unknown {
  const ex = new (globalThis as any).WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  return { ex, memory: d.memory, t: d.t, MC: d.b.MC, KC: d.b.KC, NC: d.b.NC, ap: d.s.ap, bp: d.s.bp, tmp: d.s.tmp, f32: new Float32Array(0) };
}

/** Worker side: take chunks of the job until none is left. */
function wasmRun(ws: WasmThread, m: WasmJob): number {
  return wRunChunks(ws, m.kind, m.p, m.bounds, m.next);
}

let pool: WorkerPool<WasmInit, WasmJob> | null = null;

/** The pool, bound to the (one) runtime on first use. */
const poolFor = (rt: WasmRuntime): WorkerPool<WasmInit, WasmJob> =>
  (pool ??= new WorkerPool<WasmInit, WasmJob>({
    name: 'wasm kernels',
    functions: DRIVER,
    setup: wasmSetup,
    run: wasmRun,
    init: (t) => ({ module: rt.module, memory: rt.memory, t, b: rt.blocking, s: threadScratch(rt.scratchBase, rt.scratchBytes, rt.blocking, rt.shape, t) }),
    // an empty chunk list proves the worker started and runs the rebuilt source
    probe: () => ({ job: { kind: 'matmul', p: [], bounds: [], next: new Int32Array(new SharedArrayBuffer(4)) }, ok: () => true }),
  }));

/** The worker program (for tests; needs the runtime only for its type). */
export const wasmWorkerSource = (host?: 'node' | 'web'): string =>
  new WorkerPool<WasmInit, WasmJob>({
    name: 'wasm kernels',
    functions: DRIVER,
    setup: wasmSetup,
    run: wasmRun,
    init: () => {
      throw new Error('unused');
    },
    probe: () => {
      throw new Error('unused');
    },
  }).source(host);

/** Ensures `n` workers (threads 1..n); returns how many are ready (see wasmPoolFailure). */
export const ensureWasmWorkers = (rt: WasmRuntime, n: number): number => {
  if (!rt.shared) return 0;
  return poolFor(rt).ensure(n);
};

/** Resolves when `n` workers are ready (a browser starts them in the background). */
export const wasmWorkersReady = (rt: WasmRuntime, n: number): Promise<number> => (rt.shared ? poolFor(rt).whenReady(n) : Promise.resolve(0));

export const wasmPoolFailure = (): string => pool?.failure ?? '';

/**
 * Runs chunk bounds [lo0, hi0, lo1, hi1, ...] of a job on the calling thread and `threads - 1`
 * workers; returns how many chunks each thread ran.
 */
export const runWasmChunked = (rt: WasmRuntime, kind: string, p: readonly number[], bounds: readonly number[], threads: number): number[] => {
  const pl = poolFor(rt);
  const next = pl.next;
  Atomics.store(next, 0, 0);
  return pl.run(
    { kind, p, bounds, next },
    threads - 1,
    () => wRunChunks(rt.main, kind, p, bounds, next),
    () => Atomics.store(next, 0, bounds.length), // let the workers stop early
  );
};
