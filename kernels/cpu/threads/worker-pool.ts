/**
 * One persistent worker pool for the CPU kernels (the TypeScript fast kernels and the wasm
 * kernels each own one), with two implementations of a worker behind one interface: Node
 * `worker_threads` and Web Workers. The API is synchronous: the caller posts a job to each
 * worker, runs chunks itself, then waits on each worker's flag in shared memory.
 *
 * A worker is built from source text: the kernel functions' `toString()` (they are
 * self-contained `function` declarations), the pool's setup and job functions, and a small main
 * loop; a Node worker runs it with `eval: true`, a Web Worker from a Blob URL. That works from
 * compiled JS, under vitest (module-transform references such as `(0, __vi_import_0__.fn)(...)`
 * are turned back into plain calls) and from a minified bundle (names are only ever taken from
 * the functions themselves, never written out as strings).
 *
 * Node: workers start synchronously on first use (a probe job proves the source runs) and are
 * unref'd. Browser: a page's main thread cannot block while a worker starts, so workers start
 * in the background; until they have answered their probe the kernels run on the calling thread
 * (`whenReady` awaits them), and the main thread waits for a job by spinning on the flag
 * (Atomics.wait is not allowed there). Without shared memory (a page that is not
 * cross-origin isolated) no worker starts and `failure` says why.
 */
import { isNode, mayBlock, nodeBuiltin, sharedMemoryFailure } from './host.js';

/** Worker-side functions: setup(init) -> context once, then run(context, job) -> chunks done. */
export interface PoolSpec<Init extends object, Job extends object> {
  /** For messages: 'fast kernels', 'wasm kernels'. */
  readonly name: string;
  /** Self-contained functions the worker's setup and run call. */
  readonly functions: ReadonlyArray<(...args: never[]) => unknown>;
  readonly setup: (init: Init) => unknown;
  readonly run: (ctx: never, job: Job) => number;
  /** Data for worker `t` (1-based; 0 is the calling thread), posted once at start. */
  readonly init: (t: number) => Init;
  /** A tiny job every new worker runs first, and a check of its result. */
  readonly probe: () => { readonly job: Job; readonly ok: () => boolean };
}

/** Shared words each worker has: [status: 0 running, 1 done, 2 failed; chunks done]. */
const CTRL_WORDS = 2;
/** Room for an error message (UTF-16 code units, length first). */
const ERR_UNITS = 2048;

/** Runs inside the worker (this function's text is posted, not called here). */
function poolWorkerMain(
  init: { ctrl: Int32Array; err: Uint16Array },
  listen: (f: (job: unknown) => void) => void,
  setup: (init: unknown) => unknown,
  run: (ctx: unknown, job: unknown) => number,
): void {
  let ctx: unknown = null;
  let setupError: unknown = null;
  try {
    ctx = setup(init);
  } catch (e) {
    setupError = e;
  }
  listen(function (job: unknown) {
    let status = 1;
    try {
      if (setupError !== null) throw setupError;
      init.ctrl[1] = run(ctx, job);
    } catch (e) {
      status = 2;
      const s = String((e as Error)?.stack ?? e);
      const n = Math.min(s.length, init.err.length - 1);
      init.err[0] = n;
      for (let i = 0; i < n; i++) init.err[i + 1] = s.charCodeAt(i);
    }
    Atomics.store(init.ctrl, 0, status);
    Atomics.notify(init.ctrl, 0);
  });
}

/** Source text of a function with module-transform import indirections removed. */
const cleanSource = (f: { toString(): string }): string =>
  f
    .toString()
    .replace(/\(\s*0\s*,\s*__\w*import\w*__\s*\.\s*(\w+)\s*\)/g, '$1')
    .replace(/__\w*import\w*__\s*\.\s*(\w+)/g, '$1');

type AnyFn = { readonly name: string; toString(): string };

/** The worker's whole program for a host: functions, then the host's way of receiving messages. */
export const poolWorkerSource = (spec: PoolSpec<object, object>, host: 'node' | 'web'): string => {
  const fns: AnyFn[] = [...spec.functions, spec.setup, spec.run, poolWorkerMain];
  const call = (init: string, listen: string) => `${poolWorkerMain.name}(${init}, ${listen}, ${spec.setup.name}, ${spec.run.name});`;
  const start =
    host === 'node'
      ? `const __wt = require('node:worker_threads');\n${call('__wt.workerData', '(f) => __wt.parentPort.on("message", f)')}`
      : `self.onmessage = (e) => { self.onmessage = null; ${call('e.data', '(f) => { self.onmessage = (m) => f(m.data); }')} };`;
  return ['"use strict";', 'const __name = (f) => f;', ...fns.map(cleanSource), start].join('\n');
};

/** A started worker of either kind. */
interface PoolWorker {
  readonly ctrl: Int32Array;
  readonly err: Uint16Array;
  post(job: object): void;
  /** Web workers answer their probe asynchronously; Node workers are ready once returned. */
  ready(): boolean;
  terminate(): void;
}

interface NodeWorkerThreads {
  Worker: new (src: string, o: { eval: true; workerData: unknown }) => { postMessage(m: unknown): void; unref(): void; terminate(): Promise<number> };
}

interface WebHost {
  Worker: new (url: string) => { postMessage(m: unknown): void; terminate(): void; onerror: ((e: { message?: string }) => void) | null };
  Blob: new (parts: string[], o: { type: string }) => unknown;
  URL: { createObjectURL(b: unknown): string };
}

const readError = (err: Uint16Array): string => String.fromCharCode(...err.subarray(1, 1 + err[0]));

export class WorkerPool<Init extends object, Job extends object> {
  private readonly workers: PoolWorker[] = [];
  private failed = '';
  private src: string | null = null;
  private nextCounter: Int32Array | null = null;

  constructor(private readonly spec: PoolSpec<Init, Job>) {}

  /** Why workers are unavailable ('' when fine or never needed). */
  get failure(): string {
    return this.failed;
  }

  /** A shared counter jobs take chunk indices from (created on first use, not at load). */
  get next(): Int32Array {
    return (this.nextCounter ??= new Int32Array(new SharedArrayBuffer(4)));
  }

  /** The worker program for this host (exposed for tests). */
  source(host: 'node' | 'web' = isNode() ? 'node' : 'web'): string {
    return poolWorkerSource(this.spec as unknown as PoolSpec<object, object>, host);
  }

  /**
   * Ensures `n` workers; returns how many are ready now (fewer when starting failed: then
   * `failure` says why and no further start is tried; in a browser, fewer while they start).
   */
  ensure(n: number): number {
    if (n <= 0) return 0;
    if (!this.failed && this.workers.length < n) {
      const why = sharedMemoryFailure();
      if (why) this.failed = why;
      while (!this.failed && this.workers.length < n) {
        const w = this.start(this.workers.length + 1);
        if (typeof w === 'string') this.failed = w;
        else this.workers.push(w);
      }
    }
    let ready = 0;
    while (ready < Math.min(n, this.workers.length) && this.workers[ready]!.ready()) ready++;
    return ready;
  }

  /** Resolves once `n` workers are ready, or with fewer when starting failed or `timeoutMs` passed. */
  async whenReady(n: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let got = this.ensure(n);
    while (got < n && !this.failed && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
      got = this.ensure(n);
    }
    return got;
  }

  /**
   * Posts `job` to workers 1..used, runs `own()` (the calling thread's share) meanwhile, and
   * waits for all; `stop()` is called when `own` throws so the workers can finish early.
   * Returns the chunks each thread ran (the calling thread first).
   */
  run(job: Job, used: number, own: () => number, stop: () => void): number[] {
    if (this.ensure(used) < used) throw new Error(`${this.spec.name}: ${this.failed || 'workers not ready'}`);
    for (let i = 0; i < used; i++) {
      const w = this.workers[i]!;
      Atomics.store(w.ctrl, 0, 0);
      w.post(job);
    }
    const done = [0];
    let error: unknown = null;
    try {
      done[0] = own();
    } catch (e) {
      error = e;
      stop();
    }
    for (let i = 0; i < used; i++) {
      const w = this.workers[i]!;
      waitFor(w.ctrl, Number.POSITIVE_INFINITY);
      done.push(Atomics.load(w.ctrl, 1));
      if (Atomics.load(w.ctrl, 0) === 2 && error === null) error = new Error(`${this.spec.name}: worker failed: ${readError(w.err)}`);
    }
    if (error !== null) throw error;
    return done;
  }

  private start(t: number): PoolWorker | string {
    const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
    const err = new Uint16Array(new SharedArrayBuffer(ERR_UNITS * 2));
    const init = { ...this.spec.init(t), ctrl, err };
    const probe = this.spec.probe();
    const failedStart = (why: string) => `${this.spec.name}: worker failed to start: ${why}`;
    if (isNode()) {
      const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
      if (!wt) return failedStart('node:worker_threads unavailable (process.getBuiltinModule needs Node >= 20.16)');
      let worker: ReturnType<typeof wtWorker>;
      const wtWorker = (src: string) => new wt.Worker(src, { eval: true, workerData: init });
      try {
        worker = wtWorker((this.src ??= this.source('node')));
      } catch (e) {
        return failedStart(String(e));
      }
      worker.unref();
      worker.postMessage(probe.job);
      const ok = waitFor(ctrl, 30_000);
      if (!ok || Atomics.load(ctrl, 0) !== 1 || !probe.ok()) {
        const msg = Atomics.load(ctrl, 0) === 2 ? readError(err) : ok ? 'the probe job gave a wrong result' : 'timeout';
        void worker.terminate();
        return failedStart(msg);
      }
      return { ctrl, err, post: (j) => worker.postMessage(j), ready: () => true, terminate: () => void worker.terminate() };
    }
    const web = globalThis as unknown as Partial<WebHost>;
    if (!web.Worker || !web.Blob || !web.URL?.createObjectURL) return failedStart('no Web Worker support here');
    let worker: InstanceType<WebHost['Worker']>;
    try {
      const url = web.URL.createObjectURL(new web.Blob([(this.src ??= this.source('web'))], { type: 'text/javascript' }));
      worker = new web.Worker(url);
    } catch (e) {
      return failedStart(String(e));
    }
    worker.onerror = (e) => {
      if (!this.failed) this.failed = failedStart(e.message ?? 'error event');
    };
    worker.postMessage(init);
    worker.postMessage(probe.job);
    let ready = false;
    return {
      ctrl,
      err,
      post: (j) => worker.postMessage(j),
      ready: () => {
        if (ready) return true;
        const s = Atomics.load(ctrl, 0);
        if (s === 0) return false;
        if (s !== 1 || !probe.ok()) {
          if (!this.failed) this.failed = failedStart(s === 2 ? readError(err) : 'the probe job gave a wrong result');
          return false;
        }
        return (ready = true);
      },
      terminate: () => worker.terminate(),
    };
  }
}

/** Waits until ctrl[0] leaves 0 (blocking where allowed, else spinning); false on timeout. */
const waitFor = (ctrl: Int32Array, timeoutMs: number): boolean => {
  const deadline = Date.now() + timeoutMs;
  const block = mayBlock();
  while (Atomics.load(ctrl, 0) === 0) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    if (block) Atomics.wait(ctrl, 0, 0, Math.min(left, 10_000));
  }
  return true;
};
