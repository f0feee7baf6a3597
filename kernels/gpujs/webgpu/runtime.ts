/**
 * The gpujs Runtime in WebGPU mode (Node): the same `run(params, body, outSize, args)` contract
 * every kernel file of kernels/gpujs uses, so the GL and WebGPU paths share their kernel
 * sources, but the kernels execute on a worker thread that owns Dawn (worker-main.ts).
 *
 * The design (a lazily executed command queue):
 * - an op generates its GPU.js source here, posts { run } and returns a handle at once; the
 *   worker submits it to the GPU queue in order (an already-built kernel submits synchronously);
 * - a kernel's first run waits for the worker's answer, so compile errors surface at the op that
 *   caused them and not at some later read;
 * - reads are the flush points: `download` blocks on `Atomics.wait` until the worker has mapped
 *   the buffer (the only synchronous wait), `downloadAsync` awaits the same reply without
 *   blocking the thread.
 * So the synchronous Backend contract holds for the trainer, evaluation and prediction unchanged,
 * and the GPU runs ahead of the host between reads.
 *
 * It extends Runtime only to be accepted where the kernel files take one; the base class's own
 * GPU instance is a 'cpu' one that no kernel here ever runs on.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { Input } from 'gpu.js';
import { EngineError } from '../../../lib/errors.js';
import { GpuHandle, layoutOf, Runtime } from '../runtime.js';
import { workerSource } from './worker-main.js';

/** Marker stored in a GpuHandle: the buffer's id on the worker. */
class DeviceRef {
  constructor(readonly id: number) {}
}

type WireArg = { h: number } | { n: number } | { a: Float32Array } | { i: Float32Array; dims: number[] };

/** Counters the tests and the bench read (readbacks per training step, ops posted). */
export interface WebGpuStats {
  ops: number;
  compiles: number;
  syncReads: number;
  asyncReads: number;
  /** Milliseconds the main thread spent blocked: first runs (compiles) and sync reads. */
  compileWaitMs: number;
  readWaitMs: number;
}

const INIT_TIMEOUT_MS = 120_000;
const READ_TIMEOUT_MS = 600_000;
const STOP_TIMEOUT_MS = 10_000;
const BATCH_OPS = 32;

export class WebGpuRuntime extends Runtime {
  readonly adapter: string;
  readonly stats: WebGpuStats = { ops: 0, compiles: 0, syncReads: 0, asyncReads: 0, compileWaitMs: 0, readWaitMs: 0 };
  private readonly worker: Worker;
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(8));
  private readonly syncPort: MessagePort;
  private readonly asyncPort: MessagePort;
  private readonly kids = new Map<string, number>();
  private readonly handles = new Set<GpuHandle>();
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();
  private batch: object[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private seq = 0;
  private stopped = false;

  /** Starts the device thread and waits for its adapter; throws a BackendError naming what is missing. */
  constructor() {
    super('cpu');
    const req = createRequire(import.meta.url);
    const resolve = (name: string, hint: string): string => {
      try {
        return req.resolve(name);
      } catch {
        throw new EngineError('BackendError', 'gpujs', `WebGPU mode in Node needs the '${name}' package: ${hint}`);
      }
    };
    const paths = { gpu: resolve('gpu.js', 'npm install gpu.js@2.24.1'), webgpu: resolve('webgpu', 'npm install webgpu@0.3.10 (Dawn for Node)') };
    // the Vulkan loader complains on stderr without it (and the worker's env copy cannot set it)
    if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = tmpdir();
    const sync = new MessageChannel();
    const asy = new MessageChannel();
    this.syncPort = sync.port1;
    this.asyncPort = asy.port1;
    this.worker = new Worker(workerSource(), {
      eval: true,
      workerData: { paths, ctrl: this.ctrl, syncPort: sync.port2, asyncPort: asy.port2 },
      transferList: [sync.port2, asy.port2],
    });
    // listeners first: adding a 'message' listener refs a port again
    this.asyncPort.on('message', (m: { seq: number; data?: Float32Array; error?: string }) => this.settle(m));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.unref();
    this.syncPort.unref();
    this.asyncPort.unref(); // ref'd only while an async read is outstanding
    const deadline = Date.now() + INIT_TIMEOUT_MS;
    while (Atomics.load(this.ctrl, 1) === 0 && Date.now() < deadline) Atomics.wait(this.ctrl, 1, 0, 1000);
    const reply = receiveMessageOnPort(this.syncPort)?.message as { adapter?: string; error?: string } | undefined;
    if (Atomics.load(this.ctrl, 1) !== 1 || !reply?.adapter) {
      void this.worker.terminate();
      const why = reply?.error ?? 'the device thread did not answer';
      throw new EngineError(
        'BackendError',
        'gpujs',
        `no WebGPU device: ${why}. Dawn needs a Vulkan driver: on an NVIDIA server the driver's ICD (nvidia_icd.json), in software Chromium's SwiftShader (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)`,
      );
    }
    this.adapter = reply.adapter;
    process.on('exit', this.onExit);
  }

  override get liveCount(): number {
    return this.handles.size;
  }

  override run(params: readonly string[], body: string, outSize: number, args: readonly unknown[]): GpuHandle {
    if (outSize === 0) return this.keep(new GpuHandle(0, null));
    const { w, h } = layoutOf(outSize);
    // the same kernel template as Runtime.run: the kernel files' bodies see `j` and return a value
    const [ps, bd, as] = wgslSafeConstants(params, body, args);
    const src = `function (${ps.join(', ')}) {
  const j = this.thread.y * ${w} + this.thread.x;
  if (j >= ${outSize}) { return 0; }
${bd}
}`;
    const wire = as.map(toWire);
    const key = `${src}|${as.map((a, i) => (a instanceof GpuHandle ? `h${a.layout.w}x${a.layout.h}` : wireKey(wire[i]))).join(',')}`;
    let kid = this.kids.get(key);
    const first = kid === undefined;
    if (kid === undefined) {
      kid = this.kids.size + 1;
      this.kids.set(key, kid);
      this.post({ t: 'compile', kid, src, output: [w, h] });
      this.stats.compiles++;
    }
    const hd = new GpuHandle(outSize, new DeviceRef(this.nextId++) as never);
    this.stats.ops++;
    if (!first) {
      this.post({ t: 'run', kid, out: idOf(hd), args: wire });
      return this.keep(hd);
    }
    const seq = ++this.seq;
    this.post({ t: 'run', kid, out: idOf(hd), args: wire, ack: true, seq }, true);
    const t0 = performance.now();
    const r = this.waitSync(seq) as { ok?: boolean; error?: string };
    this.stats.compileWaitMs += performance.now() - t0;
    if (r.error) throw new EngineError('BackendError', 'gpujs', `WebGPU kernel failed: ${r.error}`);
    if (!this.classCounts.has('WebGPUKernel')) this.classCounts.set('WebGPUKernel', 0);
    this.classCounts.set('WebGPUKernel', (this.classCounts.get('WebGPUKernel') ?? 0) + 1);
    return this.keep(hd);
  }

  /** Blocks until the worker has every earlier op done and this buffer mapped. */
  override download(hd: GpuHandle): Float32Array {
    if (!hd.data) return new Float32Array(hd.size);
    const seq = ++this.seq;
    this.stats.syncReads++;
    this.post({ t: 'read', id: idOf(hd), size: hd.size, seq, sync: true }, true);
    const t0 = performance.now();
    const r = this.waitSync(seq) as { data?: Float32Array; error?: string };
    this.stats.readWaitMs += performance.now() - t0;
    if (!r.data) throw new EngineError('BackendError', 'gpujs', `WebGPU read failed: ${r.error ?? 'no data'}`);
    return r.data;
  }

  downloadAsync(hd: GpuHandle): Promise<Float32Array> {
    if (!hd.data) return Promise.resolve(new Float32Array(hd.size));
    const seq = ++this.seq;
    this.stats.asyncReads++;
    const p = new Promise<Float32Array>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.asyncPort.ref(); // keep the process alive while a read is outstanding
    this.post({ t: 'read', id: idOf(hd), size: hd.size, seq, sync: false }, true);
    return p;
  }

  override release(hd: GpuHandle): void {
    if (hd.released) throw new EngineError('DisposedError', 'gpujs', 'handle released twice');
    hd.released = true;
    this.handles.delete(hd);
    if (hd.data) this.post({ t: 'free', id: idOf(hd) });
  }

  override renderer(): string | null {
    return this.adapter;
  }

  override destroy(): void {
    if (this.stopped) return;
    for (const hd of [...this.handles]) this.release(hd);
    this.stop();
    process.removeListener('exit', this.onExit);
    super.destroy();
  }

  /**
   * Node terminates a worker that is inside Dawn with a fatal napi error (exit code 134), so the
   * device is destroyed on the worker first, synchronously, both on destroy() and at process exit.
   */
  private stop(): void {
    if (this.stopped) return;
    const seq = ++this.seq;
    this.post({ t: 'stop', seq }, true);
    this.stopped = true;
    try {
      this.waitSync(seq, STOP_TIMEOUT_MS);
    } catch {
      // a hung device thread: exit anyway
    }
  }

  private readonly onExit = (): void => {
    if (process.env.ELIM_WEBGPU_STATS) process.stderr.write(`[gpujs webgpu] ${JSON.stringify(this.stats)}\n`);
    this.stop();
  };

  private keep(hd: GpuHandle): GpuHandle {
    this.handles.add(hd);
    return hd;
  }

  /**
   * Messages go out in batches of BATCH_OPS (one postMessage each: the message costs about as
   * much as an op's source generation), at once when a reply is awaited, and at the next
   * event-loop turn otherwise, so the GPU never waits long for queued work.
   */
  private post(m: object, now = false): void {
    if (this.stopped) throw new EngineError('DisposedError', 'gpujs', 'the WebGPU backend was destroyed');
    this.batch.push(m);
    if (now || this.batch.length >= BATCH_OPS) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), 0).unref();
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.worker.postMessage(b);
  }

  private waitSync(seq: number, timeoutMs = READ_TIMEOUT_MS): unknown {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cur = Atomics.load(this.ctrl, 0);
      if (cur === seq) break;
      if (Date.now() > deadline) throw new EngineError('BackendError', 'gpujs', 'the WebGPU device thread did not answer in time');
      Atomics.wait(this.ctrl, 0, cur, 1000);
    }
    const m = receiveMessageOnPort(this.syncPort);
    if (!m) throw new EngineError('BackendError', 'gpujs', 'the WebGPU device thread answered without a message');
    return m.message;
  }

  private settle(m: { seq: number; data?: Float32Array; error?: string }): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (this.pending.size === 0) this.asyncPort.unref();
    if (m.data) p.resolve(m.data);
    else p.reject(new EngineError('BackendError', 'gpujs', `WebGPU read failed: ${m.error ?? 'no data'}`));
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values()) p.reject(new EngineError('BackendError', 'gpujs', `the WebGPU device thread died: ${String(e)}`));
    this.pending.clear();
  }
}

/**
 * WGSL evaluates constant expressions at compile time and rejects a NaN or an infinity there
 * ('0.0 / 0.0 cannot be represented'), where GLSL folds them to IEEE values. The shared kernel
 * sources write NaN and +-Inf as such literals (codegen.ts `num`, binary.ts `pow`), so here
 * they divide by a runtime zero instead: an extra scalar argument `wgZero` = 0, added only to
 * the kernels that need it.
 */
export const wgslSafeConstants = (params: readonly string[], body: string, args: readonly unknown[]): [readonly string[], string, readonly unknown[]] => {
  const fixed = body
    .replace(/-3\.4028234663852886e38 \* 2\.0/g, '(-1.0 / wgZero)')
    .replace(/3\.4028234663852886e38 \* 2\.0/g, '(1.0 / wgZero)')
    .replace(/(\d+\.\d+) \/ 0\.0\b/g, '$1 / wgZero');
  return fixed === body ? [params, body, args] : [[...params, 'wgZero'], fixed, [...args, 0]];
};

const idOf = (hd: GpuHandle): number => (hd.data as unknown as DeviceRef).id;

const toWire = (a: unknown): WireArg => {
  if (a instanceof GpuHandle) {
    if (a.released) throw new EngineError('DisposedError', 'gpujs', 'handle used after release');
    if (!a.data) throw new EngineError('BackendError', 'gpujs', 'empty buffer passed to a kernel');
    return { h: idOf(a) };
  }
  if (typeof a === 'number') return { n: a };
  if (a instanceof Input) {
    const inp = a as unknown as { value: ArrayLike<number>; size: number[] };
    return { i: Float32Array.from(inp.value), dims: [...inp.size] };
  }
  if (a && typeof a === 'object' && 'length' in a) return { a: Float32Array.from(a as ArrayLike<number>) };
  throw new EngineError('BackendError', 'gpujs', `unsupported kernel argument ${typeof a}`);
};

/** What GPU.js compiles per (handles: their layout, as on GL), array lengths. */
const wireKey = (w: WireArg): string => {
  if ('h' in w) return 'h';
  if ('n' in w) return 'n';
  if ('i' in w) return `i${w.dims.join('x')}`;
  return `a${w.a.length}`;
};
