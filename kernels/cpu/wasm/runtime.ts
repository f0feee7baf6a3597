/**
 * The wasm runtime: one shared WebAssembly.Memory (SharedArrayBuffer-backed, so the worker pool
 * runs on the same bytes), the compiled GEMM module, per-thread scratch at fixed addresses, and
 * a bump arena for each call's operands (reset per call; the memory grows once to the largest
 * call seen and is reused, so fresh pages are touched only when a larger problem appears).
 *
 * Without shared memory (a browser page that is not cross-origin isolated) the memory is a plain
 * one and the kernels run on the calling thread only (`shared` false). Unavailable (and
 * `wasmFailure()` says why) when WebAssembly SIMD is missing: the caller then keeps the
 * TypeScript kernels (ELIM_WASM=0 is checked by the caller, per call).
 */
import { wasmApi, type WasmMemory, type WasmModule } from './api.js';
import { buildGemmModule, type GemmShape } from './gemm-module.js';
import { relaxedSimdAvailable } from './probe.js';
import type { WasmExports, WasmThread } from './driver.js';
import { envVar, sharedMemoryAvailable } from '../threads/host.js';

const PAGE = 65536;
/** 2 GiB: addresses stay positive i32s. */
const MAX_PAGES = 32768;
/** Scratch slots reserved for threads (the calling one included). */
export const MAX_THREADS = 4;

export interface Blocking {
  readonly MC: number;
  readonly KC: number;
  readonly NC: number;
}

export interface WasmRuntime {
  readonly memory: WasmMemory;
  /** The memory is shared, so workers can run on it (false: one thread). */
  readonly shared: boolean;
  readonly module: WasmModule;
  readonly shape: GemmShape;
  readonly blocking: Blocking;
  /** Bytes of one thread's scratch; thread t's starts at scratchBase + t * scratchBytes. */
  readonly scratchBase: number;
  readonly scratchBytes: number;
  /** The calling thread's kernels. */
  readonly main: WasmThread;
  /** First arena byte. */
  readonly arenaBase: number;
}

const align = (n: number, a = 64) => Math.ceil(n / a) * a;

/** Scratch addresses of thread t (same arithmetic in the workers, from the numbers in workerData). */
export const threadScratch = (scratchBase: number, scratchBytes: number, b: Blocking, shape: GemmShape, t: number) => {
  const base = scratchBase + t * scratchBytes;
  const ap = base;
  const bp = align(ap + b.MC * b.KC * 4);
  const tmp = align(bp + b.KC * b.NC * 4);
  return { ap, bp, tmp, end: align(tmp + shape.MR * shape.NR * 4) };
};

const makeThread = (ex: WasmExports, memory: WasmMemory, t: number, b: Blocking, s: { ap: number; bp: number; tmp: number }): WasmThread => ({
  ex,
  memory,
  t,
  MC: b.MC,
  KC: b.KC,
  NC: b.NC,
  ap: s.ap,
  bp: s.bp,
  tmp: s.tmp,
  f32: new Float32Array(0),
});

let runtime: WasmRuntime | null = null;
let failure: string | null = null;

const create = (): WasmRuntime | string => {
  const WA = wasmApi;
  if (!WA) return 'no WebAssembly';
  const relaxed = envVar('ELIM_WASM_RELAXED') !== '0' && relaxedSimdAvailable();
  const shared = sharedMemoryAvailable();
  // 4x8 with no k-unrolling measured fastest here (per CPU-second: 4x8 30, 6x8 25, 4x16 22, unroll 4 24 GFLOP/s)
  const shape: GemmShape = { MR: 4, NR: 8, unroll: 1, relaxed };
  const blocking: Blocking = { MC: 128, KC: 256, NC: 2048 };
  let memory: WasmMemory;
  try {
    memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared });
  } catch (e) {
    return `no${shared ? ' shared' : ''} WebAssembly memory (${(e as Error).message})`;
  }
  const bytes = buildGemmModule(shape, { initial: 1, maximum: MAX_PAGES, shared });
  if (!WA.validate(bytes)) return 'WebAssembly SIMD unavailable (module does not validate)';
  let module: WasmModule;
  let ex: WasmExports;
  try {
    module = new WA.Module(bytes);
    ex = new WA.Instance(module, { env: { memory } }).exports as unknown as WasmExports;
  } catch (e) {
    return `WebAssembly module failed (${(e as Error).message})`;
  }
  const scratchBase = 1024;
  const probe = threadScratch(scratchBase, 0, blocking, shape, 0);
  const scratchBytes = align(probe.end - scratchBase, 4096);
  const arenaBase = scratchBase + MAX_THREADS * scratchBytes;
  grow(memory, arenaBase + PAGE);
  const main = makeThread(ex, memory, 0, blocking, threadScratch(scratchBase, scratchBytes, blocking, shape, 0));
  return { memory, shared, module, shape, blocking, scratchBase, scratchBytes, main, arenaBase };
};

/** A call's operands do not fit the wasm memory's maximum: the caller falls back. */
export class WasmCapacityError extends Error {}

/** Grows `memory` to at least `bytes` (by at least 25%, so that growth happens rarely). */
export const grow = (memory: WasmMemory, bytes: number): void => {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  const want = Math.min(MAX_PAGES, Math.max(Math.ceil(bytes / PAGE), Math.ceil((have * 1.25) / PAGE)));
  if (want * PAGE < bytes) throw new WasmCapacityError(`wasm kernels: ${bytes} bytes exceed the ${MAX_PAGES * PAGE}-byte memory`);
  memory.grow(want - have / PAGE);
};

/** The runtime, created on first use; null when unavailable (see wasmFailure). */
export const wasmRuntime = (): WasmRuntime | null => {
  if (runtime || failure !== null) return runtime;
  const r = create();
  if (typeof r === 'string') failure = r;
  else runtime = r;
  return runtime;
};

/** Why the wasm kernels are unavailable ('' when they are available). */
export const wasmFailure = (): string => {
  wasmRuntime();
  return failure ?? '';
};

/** A bump allocator over the arena for one call: addresses in bytes, 64-byte aligned. */
export class Arena {
  private top: number;
  constructor(private readonly rt: WasmRuntime) {
    this.top = rt.arenaBase;
  }
  /** Reserves n floats; the memory grows when needed. */
  alloc(n: number): number {
    const at = this.top;
    this.top = align(at + Math.max(1, n) * 4);
    grow(this.rt.memory, this.top);
    return at;
  }
  /** Copies `src` into a fresh block; returns its address. */
  put(src: Float32Array): number {
    const at = this.alloc(src.length);
    new Float32Array(this.rt.memory.buffer, at, src.length).set(src);
    return at;
  }
  view(at: number, n: number): Float32Array {
    return new Float32Array(this.rt.memory.buffer, at, n);
  }
}
