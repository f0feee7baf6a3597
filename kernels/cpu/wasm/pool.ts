/**
 * A persistent pool of worker threads for the wasm kernels, started once and kept (unref'd, so
 * it never holds the process open). Each worker instantiates the same compiled module over the
 * same shared WebAssembly.Memory, so a job is only its kind, integer parameters and chunk
 * bounds: operands already sit in the shared memory. The API stays synchronous: the caller posts
 * the job to each worker, takes chunks itself, then `Atomics.wait`s on each worker's flag.
 *
 * The worker is built from source text: driver.ts's functions' `toString()` plus a small main
 * (works the same from dist/*.js and under vitest; module-transform import indirections such
 * as `(0, __vi_import_0__.fn)(...)` are turned back into plain calls).
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import {
  view, wgemm, wgemmPackedA, wMatmulPart, wPointwise, wConvPart, wConvBackInputPart,
  wConvBackFilterPart, wMaxPoolPart, wPackBPart, wRowsOnPackedBPart, wRunPart, wRunChunks, type WasmThread,
} from './driver.js';
import type { WasmMemory, WasmModule } from './api.js';
import { threadScratch, type WasmRuntime } from './runtime.js';

const DRIVER: ReadonlyArray<(...args: never[]) => unknown> = [
  view, wgemm, wgemmPackedA, wMatmulPart, wPointwise, wConvPart, wConvBackInputPart,
  wConvBackFilterPart, wMaxPoolPart, wPackBPart, wRowsOnPackedBPart, wRunPart, wRunChunks,
];

interface WorkerInit {
  module: WasmModule;
  memory: WasmMemory;
  ctrl: Int32Array;
  port: MessagePort;
  t: number;
  b: { MC: number; KC: number; NC: number };
  s: { ap: number; bp: number; tmp: number };
}

/** Runs inside the worker (`require` exists in eval workers). */
function wasmWorkerMain(): void {
  const wt = require('node:worker_threads');
  const d: WorkerInit = wt.workerData;
  // the global WebAssembly (this text runs in the worker, untyped)
  const ex = new (globalThis as any).WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
  const ws = { ex, memory: d.memory, t: d.t, MC: d.b.MC, KC: d.b.KC, NC: d.b.NC, ap: d.s.ap, bp: d.s.bp, tmp: d.s.tmp, f32: new Float32Array(0) };
  wt.parentPort.on('message', (m: { kind: string; p: number[]; bounds: number[]; next: Int32Array }) => {
    let status = 1;
    try {
      d.ctrl[1] = wRunChunks(ws as unknown as WasmThread, m.kind, m.p, m.bounds, m.next);
    } catch (e) {
      status = 2;
      d.port.postMessage(String((e as Error)?.stack ?? e));
    }
    Atomics.store(d.ctrl, 0, status);
    Atomics.notify(d.ctrl, 0);
  });
}

const cleanSource = (f: { toString(): string }): string =>
  f
    .toString()
    .replace(/\(\s*0\s*,\s*__\w*import\w*__\s*\.\s*(\w+)\s*\)/g, '$1')
    .replace(/__\w*import\w*__\s*\.\s*(\w+)/g, '$1');

export const wasmWorkerSource = (): string =>
  ['"use strict";', 'const __name = (f) => f;', ...DRIVER.map(cleanSource), cleanSource(wasmWorkerMain), 'wasmWorkerMain();'].join('\n');

interface PoolWorker {
  readonly worker: Worker;
  readonly ctrl: Int32Array; // [status: 0 running, 1 done, 2 failed; chunks done]
  readonly port: MessagePort;
}

const workers: PoolWorker[] = [];
let failure = '';

const waitFor = (w: PoolWorker, timeoutMs: number): boolean => {
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(w.ctrl, 0) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    Atomics.wait(w.ctrl, 0, 0, Math.min(left, 10_000));
  }
  return true;
};

const nextChunk = new Int32Array(new SharedArrayBuffer(4));

const startWorker = (rt: WasmRuntime, src: string, t: number): PoolWorker | string => {
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const s = threadScratch(rt.scratchBase, rt.scratchBytes, rt.blocking, rt.shape, t);
  const init: WorkerInit = { module: rt.module, memory: rt.memory, ctrl, port: port2, t, b: rt.blocking, s };
  let worker: Worker;
  try {
    worker = new Worker(src, { eval: true, workerData: init, transferList: [port2] });
  } catch (e) {
    return String(e);
  }
  worker.unref();
  port1.unref();
  const w: PoolWorker = { worker, ctrl, port: port1 };
  // an empty chunk list proves the worker started and runs the rebuilt source
  Atomics.store(nextChunk, 0, 0);
  worker.postMessage({ kind: 'matmul', p: [], bounds: [], next: nextChunk });
  const ok = waitFor(w, 30_000);
  if (!ok || Atomics.load(ctrl, 0) !== 1) {
    const msg = receiveMessageOnPort(port1)?.message;
    void worker.terminate();
    return `wasm worker failed to start: ${msg ?? 'timeout'}`;
  }
  return w;
};

/** Ensures `n` workers (threads 1..n); returns how many are available (see wasmPoolFailure). */
export const ensureWasmWorkers = (rt: WasmRuntime, n: number): number => {
  if (failure || workers.length >= n) return Math.min(n, workers.length);
  const src = wasmWorkerSource();
  while (workers.length < n) {
    const w = startWorker(rt, src, workers.length + 1);
    if (typeof w === 'string') {
      failure = w;
      break;
    }
    workers.push(w);
  }
  return Math.min(n, workers.length);
};

export const wasmPoolFailure = (): string => failure;

/**
 * Runs chunk bounds [lo0, hi0, lo1, hi1, ...] of a job on the calling thread and `threads - 1`
 * workers; returns how many chunks each thread ran.
 */
export const runWasmChunked = (rt: WasmRuntime, kind: string, p: readonly number[], bounds: readonly number[], threads: number): number[] => {
  const used = threads - 1;
  if (ensureWasmWorkers(rt, used) < used) throw new Error(`wasm kernels: ${failure}`);
  Atomics.store(nextChunk, 0, 0);
  for (let i = 0; i < used; i++) {
    Atomics.store(workers[i].ctrl, 0, 0);
    workers[i].worker.postMessage({ kind, p, bounds, next: nextChunk });
  }
  const done = [0];
  let error: unknown = null;
  try {
    done[0] = wRunChunks(rt.main, kind, p, bounds, nextChunk);
  } catch (e) {
    error = e;
    Atomics.store(nextChunk, 0, bounds.length); // let the workers stop early
  }
  for (let i = 0; i < used; i++) {
    const w = workers[i];
    waitFor(w, Number.POSITIVE_INFINITY);
    done.push(Atomics.load(w.ctrl, 1));
    if (Atomics.load(w.ctrl, 0) === 2 && error === null) {
      error = new Error(`wasm kernels: worker failed: ${receiveMessageOnPort(w.port)?.message ?? 'unknown error'}`);
    }
  }
  if (error !== null) throw error;
  return done;
};
