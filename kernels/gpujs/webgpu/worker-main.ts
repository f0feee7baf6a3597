/**
 * The thread that owns the WebGPU device (Node only). It is started from source text
 * (`workerSource()`, the same trick as kernels/cpu/fast/pool.ts: works from dist/*.js and under
 * vitest alike) and does three things in the order the main thread posted them:
 * - compiles GPU.js kernels in webgpu mode (`pipeline: true, immutable: true`, the GL path's
 *   settings), runs them on buffer ids, and frees buffers;
 * - answers reads: copies a buffer to a staging buffer, maps it, and hands the values back;
 * - reports the first failure at the next read (or at once when the main thread waits on a
 *   first compile), so a broken kernel is never a silent wrong answer.
 *
 * Why a thread: GPU.js's WebGPU kernels resolve Promises and WebGPU has no synchronous read,
 * while the engine's op layer and the trainer's stages are synchronous. Ops never wait (they
 * post a message and return a handle; the GPU queue runs behind them); only reads block the
 * main thread (`Atomics.wait` on a shared flag), and the values come back through
 * `receiveMessageOnPort`, so the whole synchronous Backend contract holds.
 *
 * Messages (arrays of them on `parentPort`, processed strictly one after another):
 *   { t: 'compile', kid, src, output }          a kernel (built lazily at its first run)
 *   { t: 'run', kid, out, args, ack }           args: { h: id } | { n: number } | { a: Float32Array }
 *                                               | { i: Float32Array, dims }; ack: reply when submitted
 *   { t: 'free', id }                           release a buffer
 *   { t: 'read', id, size, seq, sync }          values of a buffer (sync: flag + port; else async port)
 */
import type { MessagePort } from 'node:worker_threads';

/** Runs inside the worker: `require` exists in eval workers; nothing from this module is in scope. */
function webgpuWorkerMain(): void {
  const wt = require('node:worker_threads');
  const { paths, ctrl, syncPort, asyncPort } = wt.workerData as {
    paths: { gpu: string; webgpu: string };
    ctrl: Int32Array;
    syncPort: MessagePort;
    asyncPort: MessagePort;
  };
  // ctrl[0]: sequence number of the last sync reply; ctrl[1]: init state (1 ok, 2 failed)
  const replySync = (seq: number, msg: unknown, transfer: ArrayBuffer[] = []) => {
    syncPort.postMessage(msg, transfer);
    Atomics.store(ctrl, 0, seq);
    Atomics.notify(ctrl, 0);
  };
  const MAP_READ = 0x0001;
  const COPY_DST = 0x0008;
  let GPUCtor: new (o: object) => { createKernel: (src: string, o: object) => (...a: unknown[]) => Promise<unknown>; destroy: () => void };
  let Input: new (v: Float32Array, d: number[]) => unknown;
  let gpu: { createKernel: (src: string, o: object) => (...a: unknown[]) => Promise<unknown>; destroy: () => void };
  let device: { createBuffer: (d: object) => any; createCommandEncoder: () => any; queue: { submit: (b: unknown[]) => void } } | null = null;
  const kernels = new Map<number, { src: string; output: number[]; k?: (...a: unknown[]) => Promise<unknown> }>();
  const buffers = new Map<number, { buffer: any; delete: () => void }>();
  /** Buffers whose kernel failed, with why: a read or a use of one reports it (nothing else is poisoned). */
  const failed = new Map<number, string>();
  let tail: Promise<void> = Promise.resolve();

  const init = async (): Promise<string> => {
    const webgpu = require(paths.webgpu);
    Object.assign(globalThis, webgpu.globals);
    (globalThis as { navigator?: unknown }).navigator = { gpu: webgpu.create([]) };
    const nav = (globalThis as unknown as { navigator: { gpu: { requestAdapter: () => Promise<any> } } }).navigator;
    const adapter = await nav.gpu.requestAdapter();
    if (!adapter) throw new Error('Dawn found no WebGPU adapter (no usable Vulkan driver: see the README, headless GPU server)');
    const info = adapter.info ?? {};
    const gpujs = require(paths.gpu);
    GPUCtor = gpujs.GPU;
    Input = gpujs.Input;
    gpu = new GPUCtor({ mode: 'webgpu' });
    return (
      [info.vendor, info.architecture, info.device, info.description].filter((s: unknown) => typeof s === 'string' && s.length > 0).join(' / ') ||
      'unnamed adapter'
    );
  };

  const argOf = (a: { h?: number; n?: number; a?: Float32Array; i?: Float32Array; dims?: number[] }): unknown => {
    if (a.h !== undefined) {
      const b = buffers.get(a.h);
      if (!b) throw new Error(failed.get(a.h) ?? `buffer ${a.h} is not on the device (released)`);
      return b;
    }
    if (a.n !== undefined) return a.n;
    if (a.i !== undefined) return new Input(a.i, a.dims as number[]);
    return a.a;
  };

  const run = async (m: { kid: number; out: number; args: object[] }): Promise<void> => {
    const entry = kernels.get(m.kid);
    if (!entry) throw new Error(`kernel ${m.kid} was never compiled`);
    if (!entry.k) entry.k = gpu.createKernel(entry.src, { output: entry.output, pipeline: true, immutable: true, tactic: 'precision', precision: 'single' });
    const res = (await entry.k(...m.args.map(argOf))) as { buffer: any; delete: () => void };
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

  const step = async (m: any): Promise<void> => {
    switch (m.t) {
      case 'compile':
        kernels.set(m.kid, { src: m.src, output: m.output });
        return;
      case 'run':
        try {
          await run(m);
          if (m.ack) replySync(m.seq, { ok: true });
        } catch (e) {
          const why = String((e as Error)?.message ?? e);
          failed.set(m.out, why);
          if (m.ack) replySync(m.seq, { error: why });
        }
        return;
      case 'free': {
        const b = buffers.get(m.id);
        buffers.delete(m.id);
        failed.delete(m.id);
        if (b) b.delete(); // destroy after the submits that read it: WebGPU keeps it until they finish
        return;
      }
      case 'read': {
        const reply = (msg: { data?: Float32Array; error?: string }) => {
          const transfer = msg.data ? [msg.data.buffer as ArrayBuffer] : [];
          if (m.sync) replySync(m.seq, msg, transfer);
          else asyncPort.postMessage({ seq: m.seq, ...msg }, transfer);
        };
        const fail = (e: unknown) => reply({ error: String((e as Error)?.message ?? e) });
        try {
          read(m.id, m.size).then((data) => reply({ data }), fail);
        } catch (e) {
          fail(e);
        }
        return;
      }
      case 'stop':
        for (const b of buffers.values()) b.delete();
        buffers.clear();
        gpu?.destroy();
        (device as unknown as { destroy?: () => void } | null)?.destroy?.();
        replySync(m.seq, { ok: true });
        process.exit(0); // in a worker: ends this thread only
    }
  };

  init().then(
    (adapter) => {
      wt.parentPort.on('message', (batch: unknown[]) => {
        for (const m of batch) tail = tail.then(() => step(m));
      });
      syncPort.postMessage({ adapter });
      Atomics.store(ctrl, 1, 1);
      Atomics.notify(ctrl, 1);
    },
    (e: unknown) => {
      syncPort.postMessage({ error: String((e as Error)?.message ?? e) });
      Atomics.store(ctrl, 1, 2);
      Atomics.notify(ctrl, 1);
    },
  );
}

/** Source text of the worker, with transform indirections removed (see kernels/cpu/fast/pool.ts). */
export const workerSource = (): string => ['"use strict";', 'const __name = (f) => f;', webgpuWorkerMain.toString(), 'webgpuWorkerMain();'].join('\n');
