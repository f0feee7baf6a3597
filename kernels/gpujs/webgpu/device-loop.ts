/**
 * The device side of the WebGPU mode, shared by Node (a worker_threads thread: worker-main.ts)
 * and the browser (a dedicated Web Worker: device-worker.ts). It owns the WebGPU device and does
 * three things in the order the engine posted them:
 * - compiles GPU.js kernels in webgpu mode (`pipeline: true, immutable: true`, the GL path's
 *   settings), runs them on buffer ids, and frees buffers;
 * - answers reads: copies a buffer to a staging buffer, maps it, and hands the values back;
 * - reports a failure at the next read of what it poisoned (or at once when the engine waits on
 *   a first compile), so a broken kernel is never a silent wrong answer.
 *
 * Messages (arrays of them, processed strictly one after another):
 *   { t: 'compile', kid, src, output, view? }   a kernel (built lazily at its first run); view:
 *                                               it returns Array(4) (Runtime.run4), its result
 *                                               is seen as a plain buffer of dims `view`
 *   { t: 'run', kid, out, args, ack?, seq? }    args: { h: id } | { n } | { a: Float32Array } | { i, dims }
 *   { t: 'free', id }                           release a buffer
 *   { t: 'read', id, size, seq, sync }          values of a buffer (sync: the engine is blocked on it)
 *   { t: 'stop', seq }                          destroy the device and end the thread
 *
 * It is self-contained (nothing from module scope, no imports): Node starts it from source text.
 */

/** What the platform gives the loop: its GPU.js, replies and message delivery. */
export interface DeviceIo {
  /** GPU.js's GPU and Input classes, once `navigator.gpu` exists on this thread. */
  readonly GPU: new (o: object) => unknown;
  readonly Input: new (v: Float32Array, d: number[]) => unknown;
  /** A reply the engine is blocked on (sync reads, first-run acks, stop): `m` is the request. */
  replySync(m: { seq: number }, msg: { ok?: boolean; data?: Float32Array; error?: string }): void;
  /** A reply to an awaited read. */
  replyAsync(seq: number, msg: { data?: Float32Array; error?: string }): void;
  /** Ends this thread (after the device is destroyed). */
  exit(): void;
}

/** Asks for the adapter (its name for the logs) and returns the batch handler. */
export async function webgpuDeviceLoop(io: DeviceIo): Promise<{ adapter: string; onBatch: (batch: unknown[]) => void }> {
  type Kernel = (...a: unknown[]) => Promise<unknown>;
  // the few WebGPU objects used here, structurally (no DOM types in this project's lib)
  type Buf = { buffer: unknown; delete: () => void };
  type Staging = {
    mapAsync: (mode: number, o: number, n: number) => Promise<void>;
    getMappedRange: (o: number, n: number) => ArrayBuffer;
    unmap(): void;
    destroy(): void;
  };
  type Encoder = { copyBufferToBuffer: (a: unknown, ao: number, b: Staging, bo: number, n: number) => void; finish: () => unknown };
  type AdapterInfo = Record<'vendor' | 'architecture' | 'device' | 'description', unknown>;
  type Msg = {
    t: string;
    kid: number;
    src: string;
    output: number[];
    view?: number[];
    out: number;
    args: object[];
    ack?: boolean;
    seq: number;
    id: number;
    size: number;
    sync?: boolean;
  };
  const MAP_READ = 0x0001;
  const COPY_DST = 0x0008;
  const nav = (globalThis as unknown as { navigator?: { gpu?: { requestAdapter: () => Promise<{ info?: Partial<AdapterInfo> } | null> } } }).navigator;
  if (!nav?.gpu) throw new Error('navigator.gpu is missing on the device thread (no WebGPU here)');
  const adapterObj = await nav.gpu.requestAdapter();
  if (!adapterObj) throw new Error('no WebGPU adapter (no usable GPU driver: see the README, headless GPU server)');
  const info = adapterObj.info ?? {};
  const adapter =
    [info.vendor, info.architecture, info.device, info.description].filter((s: unknown) => typeof s === 'string' && s.length > 0).join(' / ') ||
    'unnamed adapter';
  const gpu = new io.GPU({ mode: 'webgpu' }) as { createKernel: (src: string, o: object) => Kernel; destroy: () => void };
  let device: { createBuffer: (d: object) => Staging; createCommandEncoder: () => Encoder; queue: { submit: (b: unknown[]) => void } } | null = null;
  const kernels = new Map<number, { src: string; output: number[]; view?: number[]; k?: Kernel }>();
  const buffers = new Map<number, Buf>();
  /** Buffers whose kernel failed, with why: a read or a use of one reports it (nothing else is poisoned). */
  const failed = new Map<number, string>();
  let tail: Promise<void> = Promise.resolve();
  const why = (e: unknown) => String((e as Error)?.message ?? e);

  const argOf = (a: { h?: number; n?: number; a?: Float32Array; i?: Float32Array; dims?: number[] }): unknown => {
    if (a.h !== undefined) {
      const b = buffers.get(a.h);
      if (!b) throw new Error(failed.get(a.h) ?? `buffer ${a.h} is not on the device (released)`);
      return b;
    }
    if (a.n !== undefined) return a.n;
    if (a.i !== undefined) return new io.Input(a.i, a.dims as number[]);
    return a.a;
  };

  const run = async (m: { kid: number; out: number; args: object[] }): Promise<void> => {
    const entry = kernels.get(m.kid);
    if (!entry) throw new Error(`kernel ${m.kid} was never compiled`);
    if (!entry.k) {
      const settings = { output: entry.output, pipeline: true, immutable: true, tactic: 'precision', precision: 'single' };
      entry.k = gpu.createKernel(entry.src, entry.view ? { ...settings, returnType: 'Array(4)' } : settings);
    }
    const res = (await entry.k(...m.args.map(argOf))) as Buf;
    if (entry.view) {
      // GPU.js refuses an Array(4) result as a kernel argument, but its buffer is just 4 floats
      // per thread in thread order, i.e. the flat values: relabelled as one component over the
      // engine's layout of that many values, the next kernel binds it as a plain buffer, and
      // a[y][x] (elementwise kernels) or a[0][i] (flat reads) land on the right element.
      const r = res as unknown as { componentCount: number; output: number[] };
      r.componentCount = 1;
      r.output = entry.view;
    }
    buffers.set(m.out, res);
    if (!device) device = (res as unknown as { context: { device: typeof device } }).context.device;
  };

  /** Queues the copy now (in order with the kernels before it); the map is awaited off the queue. */
  const read = (id: number, size: number): Promise<Float32Array> => {
    const b = buffers.get(id);
    if (!b) throw new Error(failed.get(id) ?? `buffer ${id} is not on the device (released)`);
    const bytes = size * 4;
    const d = device as NonNullable<typeof device>;
    const staging = d.createBuffer({ size: bytes, usage: MAP_READ | COPY_DST });
    const enc = d.createCommandEncoder();
    enc.copyBufferToBuffer(b.buffer, 0, staging, 0, bytes);
    d.queue.submit([enc.finish()]);
    return staging.mapAsync(MAP_READ, 0, bytes).then(() => {
      const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
      staging.unmap();
      staging.destroy();
      return out;
    });
  };

  const step = async (m: Msg): Promise<void> => {
    switch (m.t) {
      case 'compile':
        kernels.set(m.kid, { src: m.src, output: m.output, view: m.view });
        return;
      case 'run':
        try {
          await run(m);
          if (m.ack) io.replySync(m, { ok: true });
        } catch (e) {
          failed.set(m.out, why(e));
          if (m.ack) io.replySync(m, { error: why(e) });
        }
        return;
      case 'free': {
        const b = buffers.get(m.id);
        buffers.delete(m.id);
        failed.delete(m.id);
        if (b) b.delete(); // WebGPU keeps a destroyed buffer until the submits that read it finish
        return;
      }
      case 'read': {
        const reply = (msg: { data?: Float32Array; error?: string }) => (m.sync ? io.replySync(m, msg) : io.replyAsync(m.seq, msg));
        try {
          read(m.id, m.size).then(
            (data) => reply({ data }),
            (e) => reply({ error: why(e) }),
          );
        } catch (e) {
          reply({ error: why(e) });
        }
        return;
      }
      case 'stop':
        for (const b of buffers.values()) b.delete();
        buffers.clear();
        gpu.destroy();
        (device as unknown as { destroy?: () => void } | null)?.destroy?.();
        io.replySync(m, { ok: true });
        io.exit();
    }
  };

  return { adapter, onBatch: (batch) => batch.forEach((m) => (tail = tail.then(() => step(m as Msg)))) };
}
