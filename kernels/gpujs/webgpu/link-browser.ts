/**
 * The browser device link: the WebGPU device in a dedicated Web Worker (device-worker.ts), the
 * engine in another worker that blocks on `Atomics.wait` for the replies it must have (reads,
 * first compiles). A page's main thread may not block, so the engine must itself run in a
 * dedicated worker, and SharedArrayBuffer needs a cross-origin isolated page (COOP/COEP headers).
 *
 * A blocked thread cannot receive messages, so a sync reply travels in shared memory: each sync
 * request carries a SharedArrayBuffer `box` the device thread fills (header [state, length], then
 * the float32 data or the error's UTF-8 text) before it stores the request's seq in ctrl[0] and
 * notifies. Awaited reads come back as ordinary messages on a MessageChannel.
 */
import { EngineError } from '../../../lib/errors.js';
import type { AsyncReply, DeviceLink, SyncReply } from './link.js';
import { waitForSeq } from './runtime.js';

/** Box layout: Int32 [state (1 data, 2 error, 3 ok), length (floats or bytes)], then the payload at byte 8. */
export const BOX_HEAD = 8;
const ERROR_BYTES = 4096;

interface WorkerLike {
  postMessage(m: unknown, transfer?: unknown[]): void;
  terminate(): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}
type WorkerCtor = new (url: URL | string, o: { type: 'module' }) => WorkerLike;

/** Why the WebGPU mode cannot run on this thread of a page, or null where it can. */
export const browserWebGpuObstacle = (): string | null => {
  const g = globalThis as { document?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; navigator?: { gpu?: unknown } };
  if (g.document !== undefined) return "the page's main thread cannot block on reads: run the engine in a dedicated Worker";
  if (g.crossOriginIsolated !== true) return 'the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';
  if (typeof g.Worker !== 'function') return 'this worker cannot start a nested Worker';
  if (!g.navigator?.gpu) return 'navigator.gpu is missing (no WebGPU in this browser)';
  return null;
};

const decode = (box: SharedArrayBuffer): SyncReply => {
  const [state, len] = new Int32Array(box, 0, 2);
  if (state === 1) return { data: new Float32Array(box, BOX_HEAD, len).slice() };
  if (state === 2) return { error: new TextDecoder().decode(new Uint8Array(box, BOX_HEAD, len).slice()) };
  return { ok: true };
};

/**
 * Starts the device worker and waits (without blocking) for its adapter. `url`: the bundled
 * device-worker.js; by default the file of that name beside this module's bundle.
 */
export const openBrowserLink = async (url?: URL | string): Promise<DeviceLink> => {
  const obstacle = browserWebGpuObstacle();
  if (obstacle) throw new EngineError('BackendError', 'gpujs', `no WebGPU mode here: ${obstacle}`);
  const Worker = (globalThis as unknown as { Worker: WorkerCtor }).Worker;
  // Written out as `new Worker(new URL('./device-worker.js', import.meta.url), { type: 'module' })`
  // on purpose: bundlers recognise this form and bundle the file as a worker with its imports
  // (test/webgpu-browser/vite-bundle.test.ts: Vite 8); any other form leaves it an asset, an
  // unbundled module whose `import 'gpu.js'` a browser cannot resolve.
  const worker = url ? new Worker(url, { type: 'module' }) : new Worker(new URL('./device-worker.js', import.meta.url), { type: 'module' });
  const ctrl = new Int32Array(new SharedArrayBuffer(8));
  const channel = new MessageChannel();
  const adapter = await new Promise<string>((resolve, reject) => {
    worker.onmessage = (e) => {
      const m = e.data as { adapter?: string; error?: string };
      if (m.adapter) resolve(m.adapter);
      else reject(new EngineError('BackendError', 'gpujs', `no WebGPU device: ${m.error ?? 'the device worker did not say why'}`));
    };
    worker.onerror = (e) => reject(new EngineError('BackendError', 'gpujs', `the WebGPU device worker failed to start: ${e.message ?? 'no message'}`));
    worker.postMessage({ ctrl, asyncPort: channel.port2 }, [channel.port2]);
  }).catch((e: unknown) => {
    worker.terminate();
    throw e;
  });
  worker.onmessage = null;
  return {
    adapter,
    send: (batch) => worker.postMessage(batch),
    callSync: (batch, m, bytes, timeoutMs) => {
      const box = new SharedArrayBuffer(BOX_HEAD + Math.max(bytes, ERROR_BYTES));
      (m as { box?: SharedArrayBuffer }).box = box;
      worker.postMessage(batch);
      waitForSeq(ctrl, m.seq, timeoutMs);
      return decode(box);
    },
    listen: (onReply, onError) => {
      // a DOM MessagePort (the types here are Node's)
      (channel.port1 as unknown as { onmessage: (e: { data: unknown }) => void }).onmessage = (e) => onReply(e.data as AsyncReply);
      worker.onerror = (e) => onError(e.message ?? 'device worker error');
    },
    keepAlive: () => {},
    atExit: () => () => {},
    terminate: () => {
      channel.port1.close();
      worker.terminate();
    },
  };
};
