/**
 * The browser's device worker: bundle this file as `device-worker.js` beside the bundle that
 * runs the engine (or pass its URL to createWebGpuBackendBrowser). It owns the WebGPU device
 * and runs the shared device loop (device-loop.ts); its first message brings the shared control
 * word and the port for awaited reads, its answer is { adapter } or { error }.
 * Sync replies are written into the request's shared `box` (link-browser.ts says why).
 */
import { GPU, Input } from 'gpu.js';
import { webgpuDeviceLoop } from './device-loop.js';

interface Port {
  postMessage(m: unknown, transfer?: unknown[]): void;
}
const self_ = globalThis as unknown as Port & { onmessage: ((e: { data: unknown }) => void) | null; close(): void };
const BOX_HEAD = 8; // link-browser.ts: Int32 [state, length], then the payload

const fill = (box: SharedArrayBuffer, msg: { data?: Float32Array; error?: string }): void => {
  const head = new Int32Array(box, 0, 2);
  if (msg.data) {
    new Float32Array(box, BOX_HEAD, msg.data.length).set(msg.data);
    head[0] = 1;
    head[1] = msg.data.length;
  } else if (msg.error !== undefined) {
    const text = new TextEncoder().encode(msg.error).subarray(0, box.byteLength - BOX_HEAD);
    new Uint8Array(box, BOX_HEAD, text.length).set(text);
    head[0] = 2;
    head[1] = text.length;
  } else head[0] = 3;
};

self_.onmessage = (e) => {
  self_.onmessage = null;
  const { ctrl, asyncPort } = e.data as { ctrl: Int32Array; asyncPort: Port };
  webgpuDeviceLoop({
    GPU: GPU as never,
    Input: Input as never,
    replySync: (m, msg) => {
      fill((m as unknown as { box: SharedArrayBuffer }).box, msg);
      Atomics.store(ctrl, 0, m.seq);
      Atomics.notify(ctrl, 0);
    },
    replyAsync: (seq, msg) => asyncPort.postMessage({ seq, ...msg }, msg.data ? [msg.data.buffer] : []),
    exit: () => self_.close(),
  }).then(
    ({ adapter, onBatch }) => {
      self_.onmessage = (ev) => onBatch(ev.data as unknown[]);
      self_.postMessage({ adapter });
    },
    (err: unknown) => self_.postMessage({ error: String((err as Error)?.message ?? err) }),
  );
};
