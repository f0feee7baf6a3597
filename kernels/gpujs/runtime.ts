/**
 * The GPU.js runtime behind the gpujs backend: one GPU instance, the buffer layout, a cache of
 * compiled kernels, the handle table and the kernel class actually obtained.
 *
 * Layout: every buffer is a 2-D kernel output [w, h] holding its flat row-major values at
 * y * w + x, with w = min(size, MAX_W). 2-D everywhere because a 1-D GPU.js output larger than
 * 2^24 cells comes back wrong (ENGINE_NOTES), and because same-size buffers then share a layout,
 * so elementwise kernels address (y, x) directly, exactly, at any size.
 *
 * Pipeline mode: kernels run with `pipeline: true, immutable: true`, so on GL each call returns
 * a fresh Texture that stays on the device until `release` deletes it (never left to the GC); on
 * webasm/cpu the "texture" is a fresh array of rows, passed straight into the next kernel.
 */
import { GPU, Input, type IKernelRunShortcut } from 'gpu.js';
import * as gpujsExports from 'gpu.js';
import type { DataHandle } from '../../lib/backend/backend.js';
import { EngineError } from '../../lib/errors.js';

/** Row width of every buffer layout; 4096 x 16384 (a common max texture) = 2^26 cells. */
export const MAX_W = 4096;

export interface Layout {
  readonly w: number;
  readonly h: number;
}

export const layoutOf = (size: number): Layout => {
  const w = Math.max(1, Math.min(size, MAX_W));
  return { w, h: Math.max(1, Math.ceil(size / w)) };
};

/** Texture-like GPU.js result: a Texture (GL) or plain rows (webasm/cpu pipeline results). */
type Stored = { delete?: () => void; toArray?: () => unknown } | ArrayLike<ArrayLike<number>>;

export class GpuHandle implements DataHandle {
  readonly dtype = 'float32' as const;
  readonly layout: Layout;
  released = false;
  constructor(
    readonly size: number,
    /** null for empty buffers (GPU.js cannot have a zero-size output). */
    readonly data: Stored | null,
    /** Set for RGBA textures of the packed GEMM (kernels/gpujs/packed-gemm.ts): their [w, h] in texels. */
    readonly packed?: Layout,
    /**
     * A WebGPU storage buffer: kernels read it by flat index (`name[0][i]`, which GPU.js's WGSL
     * accessor turns into element i whatever the layout), with no row/column split to compute.
     */
    readonly flat = false,
  ) {
    this.layout = packed ?? layoutOf(size);
  }
}

export type GpujsMode = 'gpu' | 'headlessgl' | 'webgl' | 'webgl2' | 'webasm' | 'cpu' | 'dev';

export const GL_KERNEL_CLASSES = ['HeadlessGLKernel', 'WebGLKernel', 'WebGL2Kernel'];

export class Runtime {
  readonly gpu: GPU;
  private readonly cache = new Map<string, IKernelRunShortcut>();
  private readonly live = new Set<GpuHandle>();
  private readonly seen = new Set<string>();
  /** Kernels compiled per class: a later kernel may degrade (webasm -> cpu) where the first did not. */
  readonly classCounts = new Map<string, number>();
  /** Called with the class of every newly compiled kernel (the backend logs surprises). */
  onClass?: (cls: string) => void;
  /**
   * Route matmul and convolutions through the packed GEMM (packed-gemm.ts), set on GL only:
   * 'auto' where the product is big enough to pay for the extra passes, 'always' at any size
   * (so the conformance suite's small shapes exercise it).
   */
  packedGemm: 'off' | 'auto' | 'always' = 'off';

  /** Whether a product of `macs` multiply-adds takes the packed path (`min`: the 'auto' threshold). */
  usePacked(macs: number, min: number): boolean {
    return this.packedGemm === 'always' || (this.packedGemm === 'auto' && macs >= min);
  }

  /** Whether run4 exists (WebGPU): kernels that write four adjacent outputs per thread. */
  get quadOutputs(): boolean {
    return false;
  }

  /**
   * Like run, four outputs per thread: `body` sees `q`, the flat index of its first output (a
   * multiple of 4), and returns [v0, v1, v2, v3] for q..q+3; outSize must be a multiple of 4.
   * So a thread reuses each value it reads for four outputs (a matmul row element for four
   * columns, a filter tap for four pixels). Only the WebGPU runtime has it (GPU.js on GL cannot
   * pass an Array(4) result on as a plain buffer; GL has the packed GEMM instead).
   */
  run4(_params: readonly string[], _body: string, _outSize: number, _args: readonly unknown[]): GpuHandle {
    throw new EngineError('BackendError', 'gpujs', `run4 needs the WebGPU mode (this runtime is ${this.mode})`);
  }

  constructor(readonly mode: GpujsMode) {
    this.gpu = new GPU({ mode } as ConstructorParameters<typeof GPU>[0]);
  }

  get liveCount(): number {
    return this.live.size;
  }

  /**
   * Runs the kernel `params => body` over an output of `outSize` cells. `body` sees `j`, the
   * flat output index, and must return the value; padding cells past outSize return 0. The
   * source (which bakes every shape in as literals) plus the argument layouts is the cache key:
   * GPU.js compiles per output size and argument type, so one compiled kernel per key.
   */
  run(params: readonly string[], body: string, outSize: number, args: readonly unknown[]): GpuHandle {
    if (outSize === 0) return this.track(new GpuHandle(0, null));
    const { w, h } = layoutOf(outSize);
    const src = `function (${params.join(', ')}) {
  const j = this.thread.y * ${w} + this.thread.x;
  if (j >= ${outSize}) { return 0; }
${body}
}`;
    const key = `${src}|${args.map(argKey).join(',')}`;
    let k = this.cache.get(key);
    if (!k) {
      k = this.gpu.createKernel(src, { output: [w, h], pipeline: true, immutable: true, tactic: 'precision', precision: 'single' });
      this.cache.set(key, k);
    }
    const out = k(...(args.map(unwrap) as never[])) as unknown as Stored;
    if (!this.seen.has(key)) this.noteClass(key, k);
    return this.track(new GpuHandle(outSize, out));
  }

  /**
   * Runs a kernel over an explicit [w, h] output whose body indexes threads itself; with
   * 'Array(4)' it returns an RGBA texture of 4 floats per cell (a packed GEMM intermediate:
   * never downloaded, only read by other kernels).
   */
  runRaw(
    params: readonly string[],
    body: string,
    out: readonly [number, number],
    args: readonly unknown[],
    returnType: 'Number' | 'Array(4)',
    nativeFunctions: ReadonlyArray<{ name: string; source: string }> = [],
  ): GpuHandle {
    const src = `function (${params.join(', ')}) {\n${body}\n}`;
    const key = `raw${out[0]}x${out[1]}|${src}|${nativeFunctions.map((f) => f.source).join('|')}|${args.map(argKey).join(',')}`;
    let k = this.cache.get(key);
    if (!k) {
      k = this.gpu.createKernel(src, rawSettings(out, returnType, nativeFunctions) as never);
      this.cache.set(key, k);
    }
    const res = k(...(args.map(unwrap) as never[])) as unknown as Stored;
    if (!this.seen.has(key)) this.noteClass(key, k);
    const cells = out[0] * out[1];
    return this.track(new GpuHandle(returnType === 'Array(4)' ? 4 * cells : cells, res, { w: out[0], h: out[1] }));
  }

  /**
   * runRaw for a kernel that writes several RGBA outputs at once (a GPU.js kernel map; on GL,
   * one draw into several color attachments): `outputs` are identity functions the body calls,
   * each with its Array(4) value. Returns the main result, then one handle per output in order.
   */
  runMultiRaw(
    params: readonly string[],
    body: string,
    out: readonly [number, number],
    args: readonly unknown[],
    /** Sub-kernel sources, e.g. 'function row1(v) { return v; }': strings, because a minifier renames functions and GPU.js finds sub-kernel calls by name. */
    outputs: readonly string[],
    nativeFunctions: ReadonlyArray<{ name: string; source: string }> = [],
  ): GpuHandle[] {
    const src = `function (${params.join(', ')}) {\n${body}\n}`;
    const key = `map${out[0]}x${out[1]}|${outputs.join(',')}|${src}|${nativeFunctions.map((f) => f.source).join('|')}|${args.map(argKey).join(',')}`;
    let k = this.cache.get(key);
    if (!k) {
      const settings = rawSettings(out, 'Array(4)', nativeFunctions);
      const map = Object.fromEntries(outputs.map((f, i) => [`o${i}`, f]));
      k = (this.gpu as unknown as { createKernelMap: (m: object, s: string, o: object) => IKernelRunShortcut }).createKernelMap(map, src, settings);
      this.cache.set(key, k);
    }
    const res = k(...(args.map(unwrap) as never[])) as unknown as Record<string, Stored>;
    if (!this.seen.has(key)) this.noteClass(key, k);
    const cells = out[0] * out[1];
    const dims = { w: out[0], h: out[1] };
    return [res.result, ...outputs.map((_, i) => res[`o${i}`])].map((t) => this.track(new GpuHandle(4 * cells, t, dims)));
  }

  /** Copies host values onto the device (a texture on GL) through an identity kernel. */
  upload(values: Float32Array): GpuHandle {
    if (values.length === 0) return this.track(new GpuHandle(0, null));
    const { w, h } = layoutOf(values.length);
    const padded = values.length === w * h ? values : padTo(values, w * h);
    return this.run(['a'], '  return a[this.thread.y][this.thread.x];', values.length, [new Input(padded as unknown as number[], [w, h])]);
  }

  download(hd: GpuHandle): Float32Array {
    const out = new Float32Array(hd.size);
    if (!hd.data) return out;
    const d = hd.data as { toArray?: () => unknown };
    const rows = (typeof d.toArray === 'function' ? d.toArray() : d) as ArrayLike<number> | ArrayLike<ArrayLike<number>>;
    const { w } = hd.layout;
    if (typeof (rows as ArrayLike<number>)[0] === 'number') out.set(rows as ArrayLike<number> as Float32Array, 0);
    else {
      const rr = rows as ArrayLike<ArrayLike<number>>;
      for (let y = 0, off = 0; off < hd.size; y++, off += w) {
        const row = rr[y];
        const n = Math.min(w, hd.size - off);
        for (let x = 0; x < n; x++) out[off + x] = row[x];
      }
    }
    return out;
  }

  release(hd: GpuHandle): void {
    if (hd.released) throw new EngineError('DisposedError', 'gpujs', 'handle released twice');
    hd.released = true;
    this.live.delete(hd);
    const d = hd.data as { delete?: () => void } | null;
    if (d && typeof d.delete === 'function') d.delete(); // GL texture: freed now, not by the GC
  }

  /**
   * The GL renderer under the kernels, e.g. 'ANGLE (Mesa/X.org llvmpipe ...)' or an NVIDIA string;
   * null off GL. headless-gl masks RENDERER as 'ANGLE', so ask ANGLE directly where possible.
   */
  renderer(): string | null {
    for (const k of this.cache.values()) {
      const ctx = (k as unknown as { kernel?: { context?: GLish } }).kernel?.context;
      if (!ctx || typeof ctx.getParameter !== 'function') continue;
      try {
        return String(ctx._getParameterDirect ? ctx._getParameterDirect(ctx.RENDERER) : ctx.getParameter(ctx.RENDERER));
      } catch {
        return null;
      }
    }
    return null;
  }

  /** Distinct kernel classes obtained so far, most used first. */
  kernelClasses(): string[] {
    return [...this.classCounts.entries()].sort((a, b) => b[1] - a[1]).map(([c]) => c);
  }

  destroy(): void {
    for (const hd of [...this.live]) this.release(hd);
    this.cache.clear();
    this.gpu.destroy();
  }

  private track(hd: GpuHandle): GpuHandle {
    this.live.add(hd);
    return hd;
  }

  private noteClass(key: string, k: IKernelRunShortcut): void {
    const cls = kernelClassOf(k);
    this.seen.add(key);
    this.classCounts.set(cls, (this.classCounts.get(cls) ?? 0) + 1);
    this.onClass?.(cls);
  }
}

interface GLish {
  RENDERER: number;
  getParameter(p: number): unknown;
  _getParameterDirect?: (p: number) => unknown;
}

/** The class GPU.js actually compiled a kernel to (its run shortcut wraps the kernel). */
/** GPU.js's kernel classes, by the names gpu.js exports them under. */
const KERNEL_CLASS_NAMES = ['HeadlessGLKernel', 'WebGL2Kernel', 'WebGLKernel', 'WebGPUKernel', 'WebAssemblyKernel', 'CPUKernel'];

export const kernelClassOf = (k: IKernelRunShortcut): string => {
  const ctor = (k as unknown as { kernel?: object }).kernel?.constructor;
  // by identity first: a minifying bundler renames classes, so constructor.name can be 'T' in a page
  const exported = gpujsExports as unknown as Record<string, unknown>;
  return KERNEL_CLASS_NAMES.find((n) => exported[n] !== undefined && exported[n] === ctor) ?? ctor?.name ?? 'unknown';
};

/** GPU.js settings of a raw kernel (runRaw, runMultiRaw): pipelined, immutable, single precision. */
const rawSettings = (out: readonly [number, number], returnType: 'Number' | 'Array(4)', nativeFunctions: ReadonlyArray<{ name: string; source: string }>) => ({
  output: [out[0], out[1]],
  pipeline: true,
  immutable: true,
  tactic: 'precision',
  precision: 'single',
  returnType,
  nativeFunctions: [...nativeFunctions],
});

const unwrap = (a: unknown): unknown => {
  if (a instanceof GpuHandle) {
    if (a.released) throw new EngineError('DisposedError', 'gpujs', 'handle used after release');
    if (!a.data) throw new EngineError('BackendError', 'gpujs', 'empty buffer passed to a kernel');
    return a.data;
  }
  return a;
};

const argKey = (a: unknown): string => {
  if (a instanceof GpuHandle) return `${a.packed ? 'p' : 'h'}${a.layout.w}x${a.layout.h}`;
  if (typeof a === 'number') return 'n';
  if (a && typeof a === 'object' && 'length' in a) return `a${(a as ArrayLike<number>).length}`;
  return 'i'; // an Input: its size is part of the source
};

const padTo = (v: Float32Array, n: number): Float32Array => {
  const p = new Float32Array(n);
  p.set(v);
  return p;
};
