/**
 * The gpujs backend: every primitive of lib/backend/backend.ts as a GPU.js kernel in pipeline
 * mode (buffers stay on the device between kernels; `download` is the only readback).
 *
 * GPU.js picks its kernel class silently: without a GL context (no X display, no headless-gl
 * build) mode 'gpu' lands on WebAssembly, a CPU path. The class actually obtained is probed at
 * creation, exposed as `kernelClass`, and logged; `requireGL` turns a fallback into an error.
 */
import type { GPU } from 'gpu.js';
import type { Backend, DataHandle } from '../../lib/backend/backend.js';
import { EngineError } from '../../lib/errors.js';
import type { DType, TypedArray } from '../../lib/tensor/dtype.js';
import { adaptiveAvgPool2d } from './adaptive-avg-pool2d.js';
import { adaptiveAvgPool2dBackward } from './adaptive-avg-pool2d-backward.js';
import { avgPool2d } from './avg-pool2d.js';
import { avgPool2dBackward } from './avg-pool2d-backward.js';
import { binary } from './binary.js';
import { clamp } from './clamp.js';
import { concat } from './concat.js';
import { conv2d } from './conv2d.js';
import { conv2dBackwardFilter } from './conv2d-backward-filter.js';
import { conv2dBackwardInput } from './conv2d-backward-input.js';
import { copy } from './copy.js';
import { asyncReader } from './download-async.js';
import { fill } from './fill.js';
import { gather } from './gather.js';
import { matmul } from './matmul.js';
import { maxPool2d } from './max-pool2d.js';
import { maxPool2dBackward } from './max-pool2d-backward.js';
import { padInto } from './pad-into.js';
import { permute } from './permute.js';
import { reduce } from './reduce.js';
import { GL_KERNEL_CLASSES, GpuHandle, Runtime, type GpujsMode } from './runtime.js';
import { scatterAdd } from './scatter-add.js';
import { sinkhornBatched } from './sinkhorn-batched.js';
import { slice } from './slice.js';
import { softmax } from './softmax.js';
import { unary } from './unary.js';
import { where } from './where.js';

export interface GpujsBackendOptions {
  /** GPU.js mode; default 'gpu' (auto: headless GL where a context exists, else WebAssembly). */
  readonly mode?: GpujsMode;
  /** Throw a BackendError unless the kernel class obtained is a GL one (CI: ELIM_REQUIRE_GL=1). */
  readonly requireGL?: boolean;
  /** Where the kernel-class line goes; default console.info (fallbacks: console.warn). */
  readonly log?: (msg: string) => void;
  /**
   * On GL, run matmul and convolutions as packed 4x4-tiled GEMMs: true (default) where big
   * enough to pay, 'always' at every size (tests), false = the one-output-per-thread kernels.
   */
  readonly packedGemm?: boolean | 'always';
  /** A runtime to run the kernels on instead of a fresh GL/webasm one (the WebGPU mode, kernels/gpujs/webgpu). */
  readonly runtime?: Runtime;
}

export interface GpujsBackend extends Backend {
  /** The GPU.js mode asked for ('webgpu': kernels/gpujs/webgpu). */
  readonly mode: GpujsMode | 'webgpu';
  /** True when kernels run on a GL context (real GPU or Mesa's software llvmpipe). */
  readonly isGL: boolean;
  /** The GL renderer under the kernels ('ANGLE (Mesa/X.org llvmpipe ...)' is software); null off GL. */
  readonly renderer: string | null;
  /** Every kernel class compiled so far (more than one means some kernel degraded). */
  kernelClasses(): string[];
  /** The GPU.js instance, for kernels that share its context (e.g. batched Sinkhorn). */
  readonly gpu: GPU;
  /** Releases every live buffer, the compiled kernels and the GL context. */
  destroy(): void;
}

export const isGLKernelClass = (cls: string): boolean => GL_KERNEL_CLASSES.includes(cls);

export const createGpujsBackend = (opts: GpujsBackendOptions = {}): GpujsBackend => {
  const mode = opts.mode ?? 'gpu';
  const rt = opts.runtime ?? new Runtime(mode);
  // Probe: compile and run one kernel so the class is the one GPU.js really chose.
  const probe = rt.upload(new Float32Array([1]));
  rt.release(probe);
  const kernelClass = rt.kernelClasses()[0] ?? 'unknown';
  const isGL = isGLKernelClass(kernelClass);
  const renderer = isGL ? rt.renderer() : null;
  const info = opts.log ?? ((m: string) => console.info(m));
  const warn = opts.log ?? ((m: string) => console.warn(m));
  if (isGL) info(`[gpujs] mode '${mode}': kernel class ${kernelClass} on ${renderer ?? 'an unknown GL renderer'}`);
  else warn(`[gpujs] mode '${mode}': no GL context, GPU.js fell back to ${kernelClass} (runs on the CPU; see kernels/gpujs README section for headless GL)`);
  if (opts.requireGL && !isGL) {
    rt.destroy();
    throw new EngineError(
      'BackendError',
      'gpujs',
      `a GL kernel class was required but GPU.js gave ${kernelClass} (mode '${mode}'): build headless-gl (npm rebuild gl) and run under xvfb-run -a`,
    );
  }
  rt.packedGemm = !isGL || opts.packedGemm === false ? 'off' : opts.packedGemm === 'always' ? 'always' : 'auto';
  rt.onClass = (cls) => {
    if (cls !== kernelClass) warn(`[gpujs] a kernel compiled to ${cls}, not ${kernelClass} (GPU.js degraded it)`);
  };

  const h = (x: DataHandle): GpuHandle => {
    if (!(x instanceof GpuHandle)) throw new EngineError('BackendError', 'gpujs', 'handle does not belong to the gpujs backend');
    if (x.released) throw new EngineError('DisposedError', 'gpujs', 'handle used after release');
    return x;
  };
  const f32 = (op: string, dtype: DType) => {
    if (dtype !== 'float32') throw new EngineError('DTypeError', op, `the gpujs backend computes in float32 only, not ${dtype}`);
  };

  const readAsync = asyncReader(rt.gpu, kernelClass);

  return {
    name: 'gpujs',
    kernelClass,
    dtypes: ['float32'],
    mode,
    isGL,
    gpu: rt.gpu,
    renderer,
    kernelClasses: () => rt.kernelClasses(),
    destroy: () => rt.destroy(),

    upload(data: TypedArray) {
      f32('upload', data instanceof Float64Array ? 'float64' : 'float32');
      return rt.upload(data as Float32Array);
    },
    download: (x) => rt.download(h(x)),
    // non-blocking on WebGL2 (pixel-pack buffer + fence); elsewhere the synchronous read
    downloadAsync: async (x) => (readAsync ? readAsync(h(x)) : rt.download(h(x))),
    release(x) {
      if (!(x instanceof GpuHandle)) throw new EngineError('BackendError', 'gpujs', 'handle does not belong to the gpujs backend');
      rt.release(x);
    },
    liveHandles: () => rt.liveCount,
    fill(size, value, dtype) {
      f32('fill', dtype);
      return fill(rt, size, value);
    },
    cast(x, dtype) {
      f32('cast', dtype);
      return copy(rt, h(x));
    },
    unary: (op, x) => unary(rt, op, h(x)),
    binary: (op, a, aShape, b, bShape, outShape) => binary(rt, op, h(a), aShape, h(b), bShape, outShape),
    clamp: (x, lo, hi) => clamp(rt, h(x), lo, hi),
    where: (c, cShape, a, aShape, b, bShape, outShape) => where(rt, h(c), cShape, h(a), aShape, h(b), bShape, outShape),
    reduce: (op, x, shape, axes) => reduce(rt, op, h(x), shape, axes),
    matmul: (a, aShape, b, bShape, tA, tB) => matmul(rt, h(a), aShape, h(b), bShape, tA, tB),
    permute: (x, shape, perm) => permute(rt, h(x), shape, perm),
    slice: (x, shape, begin, size) => slice(rt, h(x), shape, begin, size),
    padInto: (x, shape, begin, outShape) => padInto(rt, h(x), shape, begin, outShape),
    concat: (xs, shapes, axis) => concat(rt, xs.map(h), shapes, axis),
    gather: (x, shape, indices) => gather(rt, h(x), shape, indices),
    scatterAdd: (g, gShape, indices, outRows) => scatterAdd(rt, h(g), gShape, indices, outRows),
    conv2d: (x, xShape, w, wShape, attrs) => conv2d(rt, h(x), xShape, h(w), wShape, attrs),
    conv2dBiasAct: (x, xShape, w, wShape, bias, attrs, act) => conv2d(rt, h(x), xShape, h(w), wShape, attrs, { bias: h(bias), act }),
    conv2dBackwardInput: (dy, dyShape, w, wShape, xShape, attrs) => conv2dBackwardInput(rt, h(dy), dyShape, h(w), wShape, xShape, attrs),
    conv2dBackwardFilter: (x, xShape, dy, dyShape, wShape, attrs) => conv2dBackwardFilter(rt, h(x), xShape, h(dy), dyShape, wShape, attrs),
    maxPool2d: (x, xShape, attrs) => maxPool2d(rt, h(x), xShape, attrs),
    maxPool2dBackward: (x, xShape, dy, dyShape, attrs) => maxPool2dBackward(rt, h(x), xShape, h(dy), dyShape, attrs),
    avgPool2d: (x, xShape, attrs) => avgPool2d(rt, h(x), xShape, attrs),
    avgPool2dBackward: (dy, dyShape, xShape, attrs) => avgPool2dBackward(rt, h(dy), dyShape, xShape, attrs),
    adaptiveAvgPool2d: (x, xShape, out) => adaptiveAvgPool2d(rt, h(x), xShape, out),
    adaptiveAvgPool2dBackward: (dy, dyShape, xShape) => adaptiveAvgPool2dBackward(rt, h(dy), dyShape, xShape),
    softmax: (x, rows, cols) => softmax(rt, h(x), rows, cols),
    sinkhornBatched: (cost, a, b, attrs) => sinkhornBatched(rt, h(cost), h(a), h(b), attrs),
  };
};

/** What `--backend gpujs` runs on: 'auto' (WebGPU where an adapter answers, else GL), or one forced. */
export type GpujsModeRequest = 'auto' | 'webgpu' | 'webgl';

/**
 * `--backend gpujs`: WebGPU where an adapter answers, else the GL modes as before, and the log
 * says which it got; `mode` (default env ELIM_GPUJS_MODE, else 'auto') forces one. In Node the
 * device is Dawn on a worker thread (loaded by a variable path: it needs node:worker_threads);
 * in a page it is a Web Worker, which needs the engine itself in a dedicated worker of a
 * cross-origin isolated page (else GL, with the reason in the log).
 */
export const createGpujsBackendAuto = async (opts: GpujsBackendOptions & { gpujsMode?: GpujsModeRequest | string } = {}): Promise<GpujsBackend> => {
  const env = typeof process !== 'undefined' ? process.env?.ELIM_GPUJS_MODE : undefined;
  const want = (opts.gpujsMode ?? env ?? 'auto').toLowerCase();
  const log = opts.log ?? ((m: string) => console.info(m));
  if (want !== 'auto' && want !== 'webgpu' && want !== 'webgl')
    throw new EngineError('BackendError', 'gpujs', `unknown gpujs mode '${want}' (ELIM_GPUJS_MODE: auto, webgpu or webgl)`);
  if (want === 'webgpu' && opts.requireGL) throw new EngineError('BackendError', 'gpujs', 'WebGPU mode cannot be combined with requireGL');
  const inNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (want !== 'webgl' && !opts.requireGL) {
    try {
      if (inNode) {
        const path = './webgpu/backend.js';
        const mod = (await import(path)) as typeof import('./webgpu/backend.js');
        return mod.createWebGpuBackend({ log });
      }
      const mod = await import('./webgpu/backend-browser.js');
      return await mod.createWebGpuBackendBrowser({ log });
    } catch (err) {
      if (want === 'webgpu') throw err;
      log(`[gpujs] auto: no WebGPU (${err instanceof Error ? err.message : String(err)}); trying GL`);
    }
  }
  return createGpujsBackend({ ...opts, mode: opts.mode ?? 'gpu' });
};
