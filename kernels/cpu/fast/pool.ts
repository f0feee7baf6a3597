/**
 * A persistent pool of `worker_threads` for the fast kernels, started lazily once and kept
 * (unref'd, so it never holds the process open). The API stays synchronous: the caller posts a
 * part to each worker, computes its own part, then `Atomics.wait`s on each worker's flag.
 *
 * The worker is built from source text: the kernel functions' `toString()` plus a small main
 * loop, run with `new Worker(src, { eval: true })`. That works the same from compiled dist/*.js
 * and under vitest (TypeScript sources transformed on the fly); references a module transform
 * may have rewritten into `(0, __import_n__.fn)(...)` are turned back into plain `fn(...)`.
 * If a worker cannot start, the pool reports failure and the kernels run on one thread.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { newScratch, scratchF64, packPanels, micro4x4, microEdge, gemm } from './gemm.js';
import { validRange, im2col, col2imAdd } from './conv.js';
import {
  matmulPart, scratchCol, isPointwise, conv2dPart, conv2dBackwardInputPart, conv2dBackwardFilterPart, runPart, runChunks,
} from './jobs.js';

const KERNEL_FUNCTIONS: ReadonlyArray<(...args: never[]) => unknown> = [
  newScratch, scratchF64, packPanels, micro4x4, microEdge, gemm,
  validRange, im2col, col2imAdd,
  matmulPart, scratchCol, isPointwise, conv2dPart, conv2dBackwardInputPart, conv2dBackwardFilterPart, runPart, runChunks,
];

/** The worker's main loop (runs inside the worker; `require` exists in eval workers). */
function workerMain(): void {
  const wt = require('node:worker_threads');
  const ctrl: Int32Array = wt.workerData.ctrl;
  const port: MessagePort = wt.workerData.port;
  const ws = newScratch();
  wt.parentPort.on('message', (m: { kind: string; arrs: Float32Array[]; p: number[]; bounds: number[]; next: Int32Array }) => {
    let status = 1;
    try {
      ctrl[1] = runChunks(m.kind, m.arrs, m.p, m.bounds, m.next, ws);
    } catch (e) {
      status = 2;
      port.postMessage(String((e as Error)?.stack ?? e));
    }
    Atomics.store(ctrl, 0, status);
    Atomics.notify(ctrl, 0);
  });
}

/** Source text of one function with module-transform import indirections removed. */
const cleanSource = (f: { toString(): string }): string =>
  f
    .toString()
    .replace(/\(\s*0\s*,\s*__\w*import\w*__\s*\.\s*(\w+)\s*\)/g, '$1')
    .replace(/__\w*import\w*__\s*\.\s*(\w+)/g, '$1');

export const workerSource = (): string =>
  [
    '"use strict";',
    'const __name = (f) => f;', // esbuild keepNames helper, if a transform inserted it
    ...KERNEL_FUNCTIONS.map(cleanSource),
    cleanSource(workerMain),
    'workerMain();',
  ].join('\n');

interface PoolWorker {
  readonly worker: Worker;
  readonly ctrl: Int32Array;
  readonly port: MessagePort;
}

let workers: PoolWorker[] = [];
let failed = false;
let failure = '';

const WAIT_SLICE_MS = 10_000;

const waitFor = (w: PoolWorker, timeoutMs: number): boolean => {
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(w.ctrl, 0) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(w.ctrl, 0, 0, Math.min(left, WAIT_SLICE_MS));
  }
  return true;
};

const startWorker = (src: string): PoolWorker | string => {
  const ctrl = new Int32Array(new SharedArrayBuffer(8)); // [status: 0 running, 1 done, 2 failed; chunks done]
  const { port1, port2 } = new MessageChannel();
  let worker: Worker;
  try {
    worker = new Worker(src, { eval: true, workerData: { ctrl, port: port2 }, transferList: [port2] });
  } catch (e) {
    return String(e);
  }
  worker.unref();
  port1.unref();
  const w: PoolWorker = { worker, ctrl, port: port1 };
  // A tiny job proves the rebuilt source runs (the first call also waits for the start-up).
  const probe = new Float32Array(new SharedArrayBuffer(12));
  probe[0] = 2;
  probe[1] = 3;
  const next = new Int32Array(new SharedArrayBuffer(4));
  worker.postMessage({ kind: 'matmul', arrs: [probe.subarray(0, 1), probe.subarray(1, 2), probe.subarray(2, 3)], p: [1, 1, 1, 1, 1, 1, 0, 0, 0], bounds: [0, 1], next });
  const ok = waitFor(w, 30_000);
  if (!ok || Atomics.load(ctrl, 0) !== 1 || probe[2] !== 6) {
    const msg = receiveMessageOnPort(port1)?.message;
    void worker.terminate();
    return `fast-kernel worker failed to start: ${msg ?? (ok ? `probe gave ${probe[2]}` : 'timeout')}`;
  }
  return w;
};

/**
 * Ensures at least `n` workers are running; returns the number available (fewer when
 * starting failed: then `poolFailure()` says why and no further start is attempted).
 */
export const ensureWorkers = (n: number): number => {
  if (failed || workers.length >= n) return Math.min(n, workers.length);
  const src = workerSource();
  while (workers.length < n) {
    const w = startWorker(src);
    if (typeof w === 'string') {
      failed = true;
      failure = w;
      break;
    }
    workers.push(w);
  }
  return Math.min(n, workers.length);
};

export const poolFailure = (): string => failure;

export interface Part {
  readonly lo: number;
  readonly hi: number;
}

const nextChunk = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `chunks` of a job on the calling thread and `threads - 1` workers, each taking the next
 * chunk from a shared counter until none is left; all arrays must be SharedArrayBuffer-backed.
 * Returns the number of chunks each thread ran.
 */
export const runChunked = (kind: string, arrs: Float32Array[], p: readonly number[], chunks: readonly Part[], threads: number, ws: ReturnType<typeof newScratch>): number[] => {
  const used = threads - 1;
  if (ensureWorkers(used) < used) throw new Error(`fast kernels: ${failure}`);
  const bounds = chunks.flatMap((c) => [c.lo, c.hi]);
  Atomics.store(nextChunk, 0, 0);
  for (let i = 1; i <= used; i++) {
    const w = workers[i - 1];
    Atomics.store(w.ctrl, 0, 0);
    w.worker.postMessage({ kind, arrs, p, bounds, next: nextChunk });
  }
  const done: number[] = [0];
  let error: unknown = null;
  try {
    done[0] = runChunks(kind, arrs, p, bounds, nextChunk, ws);
  } catch (e) {
    error = e;
    Atomics.store(nextChunk, 0, chunks.length); // let the workers stop early
  }
  for (let i = 1; i <= used; i++) {
    const w = workers[i - 1];
    waitFor(w, Number.POSITIVE_INFINITY);
    done.push(Atomics.load(w.ctrl, 1));
    if (Atomics.load(w.ctrl, 0) === 2 && error === null) {
      error = new Error(`fast kernels: worker failed: ${receiveMessageOnPort(w.port)?.message ?? 'unknown error'}`);
    }
  }
  if (error !== null) throw error;
  return done;
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

export const isShared = (a: Float32Array): boolean => a.buffer instanceof SharedArrayBuffer;
