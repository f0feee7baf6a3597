/**
 * The fast kernels' worker pool (../threads/worker-pool.ts: Node worker_threads or Web Workers,
 * started lazily and kept): each worker rebuilds the kernel functions below from their source
 * text and keeps its own GEMM scratch; a job is a kernel name, shared float32 arrays, integer
 * parameters and chunk bounds taken from a shared counter. If a worker cannot start, the pool
 * reports failure and the kernels run on one thread.
 */
import { newScratch, scratchF64, packPanels, micro4x4, microEdge, gemm } from './gemm.js';
import { validRange, im2col, col2imAdd } from './conv.js';
import { matmulPart, scratchCol, conv2dPart, conv2dBackwardInputPart, conv2dBackwardFilterPart, runPart, runChunks } from './jobs.js';
import { isPointwise, matmulSplit, takeChunks } from '../threads/job-split.js';
import { isSharedArray } from '../threads/host.js';
import { WorkerPool } from '../threads/worker-pool.js';

const KERNEL_FUNCTIONS: ReadonlyArray<(...args: never[]) => unknown> = [
  newScratch,
  scratchF64,
  packPanels,
  micro4x4,
  microEdge,
  gemm,
  validRange,
  im2col,
  col2imAdd,
  matmulPart,
  scratchCol,
  conv2dPart,
  conv2dBackwardInputPart,
  conv2dBackwardFilterPart,
  runPart,
  takeChunks,
  matmulSplit,
  isPointwise,
  runChunks,
];

interface FastJob {
  readonly kind: string;
  readonly arrs: Float32Array[];
  readonly p: readonly number[];
  readonly bounds: readonly number[];
  readonly next: Int32Array;
}

/** Worker side: its own GEMM scratch. */
function fastSetup(): unknown {
  return newScratch();
}

/** Worker side: take chunks of the job until none is left. */
function fastRun(ws: ReturnType<typeof newScratch>, m: FastJob): number {
  return runChunks(m.kind, m.arrs, m.p, m.bounds, m.next, ws);
}

const pool = new WorkerPool<object, FastJob>({
  name: 'fast kernels',
  functions: KERNEL_FUNCTIONS,
  setup: fastSetup,
  run: fastRun,
  init: () => ({}),
  probe: () => {
    // 2 x 3 through the real matmul path proves the rebuilt source runs
    const probe = new Float32Array(new SharedArrayBuffer(12));
    probe[0] = 2;
    probe[1] = 3;
    const job = {
      kind: 'matmul',
      arrs: [probe.subarray(0, 1), probe.subarray(1, 2), probe.subarray(2, 3)],
      p: [1, 1, 1, 1, 1, 1, 0, 0, 0],
      bounds: [0, 1],
      next: new Int32Array(new SharedArrayBuffer(4)),
    };
    return { job, ok: () => probe[2] === 6 };
  },
});

/** The worker program (for tests). */
export const workerSource = (): string => pool.source();

/**
 * Ensures at least `n` workers are running; returns the number available (fewer when
 * starting failed: then `poolFailure()` says why and no further start is attempted).
 */
export const ensureWorkers = (n: number): number => pool.ensure(n);

/** Resolves when `n` workers are ready (a browser starts them in the background). */
export const workersReady = (n: number): Promise<number> => pool.whenReady(n);

export const poolFailure = (): string => pool.failure;

export interface Part {
  readonly lo: number;
  readonly hi: number;
}

/**
 * Runs `chunks` of a job on the calling thread and `threads - 1` workers, each taking the next
 * chunk from a shared counter until none is left; all arrays must be SharedArrayBuffer-backed.
 * Returns the number of chunks each thread ran.
 */
export const runChunked = (
  kind: string,
  arrs: Float32Array[],
  p: readonly number[],
  chunks: readonly Part[],
  threads: number,
  ws: ReturnType<typeof newScratch>,
): number[] => {
  const bounds = chunks.flatMap((c) => [c.lo, c.hi]);
  const next = pool.next;
  Atomics.store(next, 0, 0);
  return pool.run(
    { kind, arrs, p, bounds, next },
    threads - 1,
    () => runChunks(kind, arrs, p, bounds, next, ws),
    () => Atomics.store(next, 0, chunks.length), // let the workers stop early
  );
};

// --- shared scratch: inputs/outputs not on a SharedArrayBuffer are staged through these ---

const sharedSlots: Float32Array[] = [];

/** A SharedArrayBuffer-backed float32 view of length n in reusable slot `slot` (contents undefined). */
export const sharedScratch = (slot: number, n: number): Float32Array => {
  const cur = sharedSlots[slot];
  if (cur && cur.length >= n) return cur.subarray(0, n);
  const cap = Math.max(n, cur ? Math.ceil(cur.length * 1.5) : 0, 1024);
  sharedSlots[slot] = new Float32Array(new SharedArrayBuffer(cap * 4));
  return sharedSlots[slot].subarray(0, n);
};

export const isShared = (a: Float32Array): boolean => isSharedArray(a);
