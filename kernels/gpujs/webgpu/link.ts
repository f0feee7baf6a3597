/**
 * How the WebGPU runtime (runtime.ts, on the engine's thread) talks to the device thread
 * (device-loop.ts): Node's worker_threads (link-node.ts) or a browser Web Worker
 * (link-browser.ts). Both block the engine's thread with `Atomics.wait` for the replies it must
 * have before going on (reads, first compiles); they differ in how the reply's bytes come back.
 */
export type SyncReply = { ok?: boolean; data?: Float32Array; error?: string };
export type AsyncReply = { seq: number; data?: Float32Array; error?: string };

export interface DeviceLink {
  /** The adapter the device thread got, e.g. 'google / swiftshader / ... / SwiftShader Device (Subzero)'. */
  readonly adapter: string;
  /** Posts a batch of messages (delivered in order). */
  send(batch: object[]): void;
  /**
   * Posts `batch` (its last message `m` carries `seq`) and blocks until the device thread has
   * answered `m`; `bytes` bounds the reply's data (the browser link allocates the shared buffer).
   */
  callSync(batch: object[], m: { seq: number }, bytes: number, timeoutMs: number): SyncReply;
  /** Where awaited reads' replies go; the device thread's death goes to `onError`. */
  listen(onReply: (r: AsyncReply) => void, onError: (e: unknown) => void): void;
  /** Keep the process alive while an awaited read is outstanding (Node). */
  keepAlive(on: boolean): void;
  /** Runs `stop` when the process exits (Node: Dawn must be torn down on its own thread first). */
  atExit(stop: () => void): () => void;
  terminate(): void;
}
