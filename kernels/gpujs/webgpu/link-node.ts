/**
 * The Node device link: Dawn on a worker_threads thread (worker-main.ts). Sync replies come back
 * on a MessagePort read with `receiveMessageOnPort` once `Atomics.wait` on a shared flag says
 * they are there; awaited reads on a second port. Opening it blocks until the adapter answers.
 */
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { EngineError } from '../../../lib/errors.js';
import type { AsyncReply, DeviceLink, SyncReply } from './link.js';
import { waitForSeq } from './runtime.js';
import { workerSource } from './worker-main.js';

const INIT_TIMEOUT_MS = 120_000;

export const noDeviceError = (why: string): EngineError =>
  new EngineError(
    'BackendError',
    'gpujs',
    `no WebGPU device: ${why}. Dawn needs a Vulkan driver: on an NVIDIA server the driver's ICD (nvidia_icd.json), in software Chromium's SwiftShader (VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)`,
  );

export const openNodeLink = (): DeviceLink => {
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
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const sync = new MessageChannel();
  const asy = new MessageChannel();
  const syncPort: MessagePort = sync.port1;
  const asyncPort: MessagePort = asy.port1;
  const worker = new Worker(workerSource(), {
    eval: true,
    workerData: { paths, ctrl, syncPort: sync.port2, asyncPort: asy.port2 },
    transferList: [sync.port2, asy.port2],
  });
  worker.unref();
  syncPort.unref();
  const deadline = Date.now() + INIT_TIMEOUT_MS;
  while (Atomics.load(ctrl, 1) === 0 && Date.now() < deadline) Atomics.wait(ctrl, 1, 0, 1000);
  const reply = receiveMessageOnPort(syncPort)?.message as { adapter?: string; error?: string } | undefined;
  if (Atomics.load(ctrl, 1) !== 1 || !reply?.adapter) {
    void worker.terminate();
    throw noDeviceError(reply?.error ?? 'the device thread did not answer');
  }
  return {
    adapter: reply.adapter,
    send: (batch) => worker.postMessage(batch),
    callSync: (batch, m, _bytes, timeoutMs): SyncReply => {
      worker.postMessage(batch);
      waitForSeq(ctrl, m.seq, timeoutMs);
      const r = receiveMessageOnPort(syncPort);
      if (!r) throw new EngineError('BackendError', 'gpujs', 'the WebGPU device thread answered without a message');
      return r.message as SyncReply;
    },
    listen: (onReply, onError) => {
      // listeners first: adding a 'message' listener refs a port again
      asyncPort.on('message', (r: AsyncReply) => onReply(r));
      worker.on('error', onError);
      asyncPort.unref(); // ref'd only while an awaited read is outstanding
    },
    keepAlive: (on) => (on ? asyncPort.ref() : asyncPort.unref()),
    atExit: (stop) => {
      process.on('exit', stop);
      return () => process.removeListener('exit', stop);
    },
    terminate: () => void worker.terminate(),
  };
};
