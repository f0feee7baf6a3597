/**
 * The gpujs Runtime in WebGPU mode: the same `run(params, body, outSize, args)` contract every
 * kernel file of kernels/gpujs uses, so the GL and WebGPU paths share their kernel sources, but
 * the kernels execute on a device thread (device-loop.ts) reached through a DeviceLink: Node's
 * worker_threads (link-node.ts) or a browser Web Worker (link-browser.ts).
 *
 * The design (a lazily executed command queue):
 * - an op generates its GPU.js source here, posts { run } and returns a handle at once; the
 *   device thread submits it to the GPU queue in order (a built kernel submits synchronously);
 * - a kernel's first run waits for the device thread's answer, so compile errors surface at the
 *   op that caused them and not at some later read;
 * - reads are the flush points: `download` blocks on `Atomics.wait` until the buffer is mapped
 *   (the only synchronous wait), `downloadAsync` awaits the same reply without blocking.
 * So the synchronous Backend contract holds for the trainer, evaluation and prediction unchanged,
 * and the GPU runs ahead of the host between reads.
 *
 * It extends Runtime only to be accepted where the kernel files take one; the base class's own
 * GPU instance is a 'cpu' one that no kernel here ever runs on.
 */
import { Input } from 'gpu.js';
import { EngineError } from '../../../lib/errors.js';
import { GpuHandle, layoutOf, Runtime } from '../runtime.js';
import type { AsyncReply, DeviceLink, SyncReply } from './link.js';

/** Marker stored in a GpuHandle: the buffer's id on the device thread. */
class DeviceRef {
  constructor(readonly id: number) {}
}

type WireArg = { h: number } | { n: number } | { a: Float32Array } | { i: Float32Array; dims: number[] };

/** Counters the tests and the bench read (readbacks per training step, ops posted). */
export interface WebGpuStats {
  ops: number;
  /** Of those, the ops that wrote four outputs per thread (run4). */
  quadOps: number;
  compiles: number;
  syncReads: number;
  asyncReads: number;
  /** Milliseconds the engine's thread spent blocked: first runs (compiles) and sync reads. */
  compileWaitMs: number;
  readWaitMs: number;
}

const READ_TIMEOUT_MS = 600_000;
const STOP_TIMEOUT_MS = 10_000;
const BATCH_OPS = 32;

/** Blocks until the device thread has stored `seq` in ctrl[0] (it notifies after each sync reply). */
export const waitForSeq = (ctrl: Int32Array, seq: number, timeoutMs: number): void => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cur = Atomics.load(ctrl, 0);
    if (cur === seq) return;
    if (Date.now() > deadline) throw new EngineError('BackendError', 'gpujs', 'the WebGPU device thread did not answer in time');
    Atomics.wait(ctrl, 0, cur, 1000);
  }
};

export class WebGpuRuntime extends Runtime {
  readonly adapter: string;
  readonly stats: WebGpuStats = { ops: 0, quadOps: 0, compiles: 0, syncReads: 0, asyncReads: 0, compileWaitMs: 0, readWaitMs: 0 };
  private readonly kids = new Map<string, number>();
  private readonly handles = new Set<GpuHandle>();
  private readonly pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>();
  private readonly unhookExit: () => void;
  private batch: object[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private nextId = 1;
  private seq = 0;
  private stopped = false;

  constructor(private readonly link: DeviceLink) {
    super('cpu');
    this.adapter = link.adapter;
    link.listen(
      (m) => this.settle(m),
      (e) => this.failAll(e),
    );
    this.unhookExit = link.atExit(this.onExit);
  }

  override get liveCount(): number {
    return this.handles.size;
  }

  override run(params: readonly string[], body: string, outSize: number, args: readonly unknown[]): GpuHandle {
    if (outSize === 0) return this.keep(new GpuHandle(0, null));
    const { w, h } = layoutOf(outSize);
    // the same kernel template as Runtime.run: the kernel files' bodies see `j` and return a value
    const head = `  const j = this.thread.y * ${w} + this.thread.x;\n  if (j >= ${outSize}) { return 0; }`;
    return this.launch(params, head, body, outSize, [w, h], args);
  }

  override get quadOutputs(): boolean {
    return true;
  }

  /**
   * Four outputs per thread through GPU.js's Array(4) return (a vec4 written to 4 consecutive
   * floats of the output buffer); the device thread then presents the result as a plain buffer
   * of 4x the cells (device-loop.ts), so any kernel reads it by flat index.
   */
  override run4(params: readonly string[], body: string, outSize: number, args: readonly unknown[]): GpuHandle {
    if (outSize % 4 !== 0) throw new EngineError('BackendError', 'gpujs', `run4 needs a multiple of 4 outputs, got ${outSize}`);
    if (outSize === 0) return this.keep(new GpuHandle(0, null));
    const threads = outSize / 4;
    const { w, h } = layoutOf(threads);
    const head = `  const t = this.thread.y * ${w} + this.thread.x;\n  if (t >= ${threads}) { return [0.0, 0.0, 0.0, 0.0]; }\n  const q = t * 4;`;
    const view = layoutOf(outSize); // the layout every handle of outSize values has (w * h >= 4 * threads is not needed: reads stop at outSize)
    return this.launch(params, head, body, outSize, [w, h], args, [view.w, view.h]);
  }

  private launch(
    params: readonly string[],
    head: string,
    body: string,
    outSize: number,
    output: readonly [number, number],
    args: readonly unknown[],
    /** For run4: the dims its result is seen with (device-loop.ts). */
    view?: readonly [number, number],
  ): GpuHandle {
    const [ps, bd, as] = wgslSafeConstants(params, body, args);
    const src = `function (${ps.join(', ')}) {\n${head}\n${bd}\n}`;
    const wire = as.map(toWire);
    const key = `${view ? 'q' : 's'}|${src}|${as.map((a, i) => (a instanceof GpuHandle ? `h${a.layout.w}x${a.layout.h}` : wireKey(wire[i]))).join(',')}`;
    let kid = this.kids.get(key);
    const first = kid === undefined;
    if (kid === undefined) {
      kid = this.kids.size + 1;
      this.kids.set(key, kid);
      this.post({ t: 'compile', kid, src, output, view });
      this.stats.compiles++;
    }
    const hd = new GpuHandle(outSize, new DeviceRef(this.nextId++) as never, undefined, true);
    this.stats.ops++;
    if (view) this.stats.quadOps++;
    if (!first) {
      this.post({ t: 'run', kid, out: idOf(hd), args: wire });
      return this.keep(hd);
    }
    const t0 = performance.now();
    const r = this.call({ t: 'run', kid, out: idOf(hd), args: wire, ack: true }, 0);
    this.stats.compileWaitMs += performance.now() - t0;
    if (r.error) throw new EngineError('BackendError', 'gpujs', `WebGPU kernel failed: ${r.error}`);
    this.classCounts.set('WebGPUKernel', (this.classCounts.get('WebGPUKernel') ?? 0) + 1);
    return this.keep(hd);
  }

  /** Blocks until the device thread has every earlier op done and this buffer mapped. */
  override download(hd: GpuHandle): Float32Array {
    if (!hd.data) return new Float32Array(hd.size);
    this.stats.syncReads++;
    const t0 = performance.now();
    const r = this.call({ t: 'read', id: idOf(hd), size: hd.size, sync: true }, hd.size * 4);
    this.stats.readWaitMs += performance.now() - t0;
    if (!r.data) throw new EngineError('BackendError', 'gpujs', `WebGPU read failed: ${r.error ?? 'no data'}`);
    return r.data;
  }

  downloadAsync(hd: GpuHandle): Promise<Float32Array> {
    if (!hd.data) return Promise.resolve(new Float32Array(hd.size));
    const seq = ++this.seq;
    this.stats.asyncReads++;
    const p = new Promise<Float32Array>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.link.keepAlive(true); // keep the process alive while a read is outstanding
    this.post({ t: 'read', id: idOf(hd), size: hd.size, seq, sync: false });
    this.flush();
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
    this.unhookExit();
    this.link.terminate();
    super.destroy();
  }

  /**
   * Node terminates a worker that is inside Dawn with a fatal napi error (exit code 134), so the
   * device is destroyed on its own thread first, synchronously, on destroy() and at process exit.
   */
  private stop(): void {
    if (this.stopped) return;
    try {
      this.call({ t: 'stop' }, 0, STOP_TIMEOUT_MS);
    } catch {
      // a hung device thread: exit anyway
    }
    this.stopped = true;
  }

  private readonly onExit = (): void => {
    if (typeof process !== 'undefined' && process.env?.ELIM_WEBGPU_STATS) process.stderr.write(`[gpujs webgpu] ${JSON.stringify(this.stats)}\n`);
    this.stop();
  };

  private keep(hd: GpuHandle): GpuHandle {
    this.handles.add(hd);
    return hd;
  }

  /** Sends what is batched with `m` last, and blocks until the device thread answers `m`. */
  private call(m: object, bytes: number, timeoutMs = READ_TIMEOUT_MS): SyncReply {
    if (this.stopped) throw new EngineError('DisposedError', 'gpujs', 'the WebGPU backend was destroyed');
    const msg = { ...m, seq: ++this.seq };
    const b = this.take();
    b.push(msg);
    return this.link.callSync(b, msg, bytes, timeoutMs);
  }

  /**
   * Messages go out in batches of BATCH_OPS (one postMessage each: the message costs about as
   * much as an op's source generation), at once when a reply is awaited, and at the next
   * event-loop turn otherwise, so the GPU never waits long for queued work.
   */
  private post(m: object): void {
    if (this.stopped) throw new EngineError('DisposedError', 'gpujs', 'the WebGPU backend was destroyed');
    this.batch.push(m);
    if (this.batch.length >= BATCH_OPS) this.flush();
    else if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), 0);
  }

  private take(): object[] {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const b = this.batch;
    this.batch = [];
    return b;
  }

  private flush(): void {
    const b = this.take();
    if (b.length > 0) this.link.send(b);
  }

  private settle(m: AsyncReply): void {
    const p = this.pending.get(m.seq);
    if (!p) return;
    this.pending.delete(m.seq);
    if (this.pending.size === 0) this.link.keepAlive(false);
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
