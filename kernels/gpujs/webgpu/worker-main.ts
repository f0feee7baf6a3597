/**
 * The Node device thread: Dawn (the `webgpu` package) and gpu.js loaded by path, the shared
 * device loop (device-loop.ts) on top. Started from source text (`workerSource()`, the same trick
 * as kernels/cpu/fast/pool.ts: works from dist/*.js and under vitest alike).
 *
 * Replies the engine is blocked on go through `syncPort` (the engine reads them with
 * `receiveMessageOnPort` after `Atomics.wait` on ctrl[0] says they are there); awaited reads
 * through `asyncPort`. ctrl[1] is the init state (1 ok, 2 failed).
 */
import type { MessagePort } from 'node:worker_threads';
import { webgpuDeviceLoop } from './device-loop.js';

/** Runs inside the worker: `require` exists in eval workers; nothing from this module is in scope. */
function webgpuNodeMain(loop: typeof webgpuDeviceLoop): void {
  const wt = require('node:worker_threads');
  const { paths, ctrl, syncPort, asyncPort } = wt.workerData as {
    paths: { gpu: string; webgpu: string };
    ctrl: Int32Array;
    syncPort: MessagePort;
    asyncPort: MessagePort;
  };
  const transfer = (msg: { data?: Float32Array }) => (msg.data ? [msg.data.buffer as ArrayBuffer] : []);
  const started = (state: number, msg: object) => {
    syncPort.postMessage(msg);
    Atomics.store(ctrl, 1, state);
    Atomics.notify(ctrl, 1);
  };
  const boot = async () => {
    const webgpu = require(paths.webgpu);
    Object.assign(globalThis, webgpu.globals);
    (globalThis as { navigator?: unknown }).navigator = { gpu: webgpu.create([]) };
    const gpujs = require(paths.gpu);
    return loop({
      GPU: gpujs.GPU,
      Input: gpujs.Input,
      replySync: (m, msg) => {
        syncPort.postMessage(msg, transfer(msg));
        Atomics.store(ctrl, 0, m.seq);
        Atomics.notify(ctrl, 0);
      },
      replyAsync: (seq, msg) => asyncPort.postMessage({ seq, ...msg }, transfer(msg)),
      exit: () => process.exit(0), // in a worker: ends this thread only
    });
  };
  boot().then(
    ({ adapter, onBatch }) => {
      wt.parentPort.on('message', onBatch);
      started(1, { adapter });
    },
    (e: unknown) => started(2, { error: `Dawn: ${String((e as Error)?.message ?? e)}` }),
  );
}

/** Source text of the worker, with transform indirections removed (see kernels/cpu/fast/pool.ts). */
export const workerSource = (): string =>
  ['"use strict";', 'const __name = (f) => f;', webgpuDeviceLoop.toString(), webgpuNodeMain.toString(), `webgpuNodeMain(${webgpuDeviceLoop.name});`].join('\n');
