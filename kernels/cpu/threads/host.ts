/**
 * What the CPU backend needs to know about its host, asked without importing any node:* module
 * (so the root entry loads in a browser): environment variables, Node built-ins through
 * `process.getBuiltinModule` (Node >= 20.16; synchronous, and invisible to bundlers), the
 * number of hardware threads, whether memory can be shared with workers (always in Node; in a
 * page only when it is cross-origin isolated), and whether this thread may block in
 * `Atomics.wait` (not on a browser's main thread).
 */

interface NodeProcessLike {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly versions?: { readonly node?: string };
  getBuiltinModule?(id: string): unknown;
}

interface HostGlobals {
  readonly process?: NodeProcessLike;
  readonly navigator?: { readonly hardwareConcurrency?: number };
  readonly crossOriginIsolated?: boolean;
  readonly SharedArrayBuffer?: typeof SharedArrayBuffer;
  readonly WorkerGlobalScope?: unknown;
}

const host = (): HostGlobals => globalThis as unknown as HostGlobals;

/** True under Node (not a bundler's `process` shim: that has no versions.node). */
export const isNode = (): boolean => typeof host().process?.versions?.node === 'string';

/** An environment variable (Node), read at each call; undefined in a browser. */
export const envVar = (name: string): string | undefined => (isNode() ? host().process?.env?.[name] : undefined);

/** A Node built-in module, or undefined off Node (or on a Node without getBuiltinModule). */
export const nodeBuiltin = <T>(id: string): T | undefined => {
  const p = host().process;
  return isNode() && typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule(id) as T) : undefined;
};

/** Hardware threads: os.availableParallelism() in Node, navigator.hardwareConcurrency in a page. */
export const hardwareThreads = (): number => {
  const os = nodeBuiltin<{ availableParallelism(): number }>('node:os');
  const n = os ? os.availableParallelism() : host().navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
};

/** SharedArrayBuffer exists and may be posted to workers (a page must be crossOriginIsolated). */
export const sharedMemoryAvailable = (): boolean => {
  const h = host();
  return typeof h.SharedArrayBuffer === 'function' && (isNode() || h.crossOriginIsolated === true);
};

/** Why workers cannot share memory here ('' when they can). */
export const sharedMemoryFailure = (): string =>
  sharedMemoryAvailable()
    ? ''
    : isNode()
      ? 'no SharedArrayBuffer in this runtime'
      : 'no shared memory: the page is not cross-origin isolated (serve it with COOP: same-origin and COEP: require-corp)';

/** A SharedArrayBuffer where workers can share it, else a plain ArrayBuffer (one thread only). */
export const newBuffer = (bytes: number): ArrayBufferLike => (sharedMemoryAvailable() ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));

/** True when `a` lies on a SharedArrayBuffer. */
export const isSharedArray = (a: ArrayBufferView): boolean => typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;

/** Whether this thread may block in Atomics.wait: any Node thread, a Web Worker, not a page's main thread. */
export const mayBlock = (): boolean => isNode() || host().WorkerGlobalScope !== undefined;
