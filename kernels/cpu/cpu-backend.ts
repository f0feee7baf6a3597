/**
 * The CPU backend: handles wrap typed arrays drawn from a BufferPool (SharedArrayBuffer-backed,
 * recycled by dtype and length). Kernels, by tier: the heavy ones (matmul, conv2d and its
 * backward passes, max pool) go through ./heavy-kernels.ts (float32: wasm SIMD, else the
 * TypeScript fast kernels; float64: the reference); elementwise maps and reductions run ./light
 * (the reference's arithmetic, one loop per op); every other primitive runs its reference kernel.
 */
import { lightBinary } from './light/binary.js';
import { lightReduce } from './light/reduce.js';
import { lightUnary } from './light/unary.js';
import type { Backend, Conv2dAttrs, DataHandle, Pool2dAttrs } from '../../lib/backend/backend.js';
import { EngineError } from '../../lib/errors.js';
import type { DType, TypedArray } from '../../lib/tensor/dtype.js';
import { sizeOf } from '../../lib/tensor/shape.js';
import { BufferPool } from './buffer-pool.js';
import { fastThreads, fastThreadsReady, setFastThreads } from './fast/index.js';
import { wasmOffReason, wasmThreadsReady } from './wasm/index.js';
import * as heavy from './heavy-kernels.js';
import * as ref from './reference/index.js';
import { createSinkhornBatched } from './sinkhorn-batched.js';

/** A CPU handle: the typed array itself plus a released flag. */
export class CpuHandle implements DataHandle {
  released = false;
  constructor(readonly data: TypedArray) {}
  get size() {
    return this.data.length;
  }
  get dtype(): DType {
    return this.data instanceof Float64Array ? 'float64' : 'float32';
  }
}

export interface CpuBackendOptions {
  /**
   * Threads the fast float32 kernels may use. This sets the fast kernels' process-wide setting
   * (setFastThreads); omitted, their default stands (env ELIM_THREADS, else min(2, cores)).
   * kernelClass reports the number actually obtained (1 if the worker pool cannot start).
   */
  readonly threads?: number;
  /** Share a pool between backends (tests); default a fresh one. */
  readonly pool?: BufferPool;
}

export interface CpuBackend extends Backend {
  readonly pool: BufferPool;
  /** The typed array behind a live handle (no copy): for workers and tests. */
  dataOf(h: DataHandle): TypedArray;
}

/**
 * The CPU backend once its worker threads are up. In Node that is immediate (workers start
 * synchronously); a browser page starts Web Workers in the background, and the kernels would run
 * on one thread until they answer, so this awaits them (the page must be cross-origin isolated
 * for any worker to start; otherwise the backend runs on the page's thread).
 */
export const createCpuBackendAsync = async (opts: CpuBackendOptions = {}): Promise<CpuBackend> => {
  if (opts.threads !== undefined) setFastThreads(opts.threads);
  await Promise.all([fastThreadsReady(), wasmOffReason() === '' ? wasmThreadsReady() : 1]);
  return createCpuBackend(opts);
};

export const createCpuBackend = (opts: CpuBackendOptions = {}): CpuBackend => {
  if (opts.threads !== undefined) setFastThreads(opts.threads);
  const threads = fastThreads();
  const pool = opts.pool ?? new BufferPool();
  let live = 0;
  const sinkhorn = createSinkhornBatched();

  const data = (h: DataHandle): TypedArray => {
    if (!(h instanceof CpuHandle)) throw new EngineError('BackendError', 'cpu', 'handle does not belong to a CPU backend');
    if (h.released) throw new EngineError('DisposedError', 'cpu', 'handle used after release');
    return h.data;
  };
  const alloc = (dtype: DType, n: number, zeroed = false): TypedArray => pool.acquire(dtype, n, zeroed);
  const wrap = (a: TypedArray): CpuHandle => {
    live++;
    return new CpuHandle(a);
  };
  /** Runs a reference kernel into a pooled output of x's dtype. */
  const into = (like: DataHandle, n: number, kernel: (out: TypedArray) => unknown): CpuHandle => {
    const out = alloc(like.dtype, n);
    kernel(out);
    return wrap(out);
  };

  return {
    name: 'cpu',
    kernelClass: `cpu-ts(${threads} thread${threads === 1 ? '' : 's'}; heavy: ${heavy.heavyKernelInfo()})`,
    dtypes: ['float32', 'float64'],
    pool,
    dataOf: data,

    upload: (a) => {
      const out = alloc(a instanceof Float64Array ? 'float64' : 'float32', a.length);
      out.set(a);
      return wrap(out);
    },
    download: (h) => {
      const d = data(h);
      return d instanceof Float64Array ? Float64Array.from(d) : Float32Array.from(d); // plain (non-shared) copy
    },
    release: (h) => {
      const d = data(h); // throws on a double release
      (h as CpuHandle).released = true;
      live--;
      pool.recycle(d);
    },
    liveHandles: () => live,
    fill: (size, value, dtype) => wrap(alloc(dtype, size).fill(value)),
    cast: (x, dtype) => {
      const out = alloc(dtype, x.size);
      out.set(data(x));
      return wrap(out);
    },

    // elementwise maps and reductions: light/ (the same arithmetic as the reference, without per-element calls)
    unary: (op, x) => into(x, x.size, (o) => lightUnary(op, data(x), o)),
    binary: (op, a, aShape, b, bShape, outShape) => into(a, sizeOf(outShape), (o) => lightBinary(op, data(a), aShape, data(b), bShape, outShape, o)),
    clamp: (x, lo, hi) => into(x, x.size, (o) => ref.refClamp(data(x), lo, hi, o)),
    where: (c, cShape, a, aShape, b, bShape, outShape) =>
      into(a, sizeOf(outShape), (o) => ref.refWhere(data(c), cShape, data(a), aShape, data(b), bShape, outShape, o)),
    reduce: (op, x, shape, axes) => into(x, sizeOf(shape.map((d, i) => (axes.includes(i) ? 1 : d))), (o) => lightReduce(op, data(x), shape, axes, o)),

    matmul: (a, aShape, b, bShape, transA, transB) => {
      const [m, , n] = ref.matmulDims(aShape, bShape, transA, transB);
      return into(a, Math.max(aShape[0], bShape[0]) * m * n, (o) => heavy.matmulInto(data(a), aShape, data(b), bShape, transA, transB, o));
    },

    permute: (x, shape, perm) => into(x, x.size, (o) => ref.refPermute(data(x), shape, perm, o)),
    slice: (x, shape, begin, size) => into(x, sizeOf(size), (o) => ref.refSlice(data(x), shape, begin, size, o)),
    padInto: (x, shape, begin, outShape) => into(x, sizeOf(outShape), (o) => ref.refPadInto(data(x), shape, begin, outShape, o)),
    concat: (xs, shapes, axis) =>
      into(
        xs[0],
        shapes.reduce((acc, s) => acc + sizeOf(s), 0),
        (o) => ref.refConcat(xs.map(data), shapes, axis, o),
      ),
    gather: (x, shape, indices) => into(x, indices.length * sizeOf(shape.slice(1)), (o) => ref.refGather(data(x), shape, indices, o)),
    scatterAdd: (g, gShape, indices, outRows) => into(g, outRows * sizeOf(gShape.slice(1)), (o) => ref.refScatterAdd(data(g), gShape, indices, outRows, o)),

    conv2d: (x, xShape, w, wShape, attrs) =>
      into(x, sizeOf(ref.conv2dOutShape(xShape, wShape, attrs)), (o) => heavy.conv2dInto(data(x), xShape, data(w), wShape, attrs, o)),
    conv2dBiasAct: (x, xShape, w, wShape, bias, attrs, act) =>
      into(x, sizeOf(ref.conv2dOutShape(xShape, wShape, attrs)), (o) => heavy.conv2dBiasActInto(data(x), xShape, data(w), wShape, data(bias), attrs, act, o)),
    conv2dBackwardInput: (dy, dyShape, w, wShape, xShape, attrs) =>
      into(dy, sizeOf(xShape), (o) => heavy.conv2dBackwardInputInto(data(dy), dyShape, data(w), wShape, xShape, attrs, o)),
    conv2dBackwardFilter: (x, xShape, dy, dyShape, wShape, attrs: Conv2dAttrs) =>
      into(x, sizeOf(wShape), (o) => heavy.conv2dBackwardFilterInto(data(x), xShape, data(dy), dyShape, wShape, attrs, o)),

    maxPool2d: (x, xShape, attrs: Pool2dAttrs) => into(x, sizeOf(ref.pool2dOutShape(xShape, attrs)), (o) => heavy.maxPool2dInto(data(x), xShape, attrs, o)),
    maxPool2dBackward: (x, xShape, dy, _dyShape, attrs) => into(x, x.size, (o) => heavy.maxPool2dBackwardInto(data(x), xShape, data(dy), attrs, o)),
    avgPool2d: (x, xShape, attrs) => into(x, sizeOf(ref.pool2dOutShape(xShape, attrs)), (o) => ref.refAvgPool2d(data(x), xShape, attrs, o)),
    avgPool2dBackward: (dy, dyShape, xShape, attrs) => into(dy, sizeOf(xShape), (o) => ref.refAvgPool2dBackward(data(dy), dyShape, xShape, attrs, o)),
    adaptiveAvgPool2d: (x, xShape, out) => into(x, xShape[0] * xShape[1] * out[0] * out[1], (o) => ref.refAdaptiveAvgPool2d(data(x), xShape, out, o)),
    adaptiveAvgPool2dBackward: (dy, dyShape, xShape) => into(dy, sizeOf(xShape), (o) => ref.refAdaptiveAvgPool2dBackward(data(dy), dyShape, xShape, o)),

    softmax: (x, rows, cols) => into(x, rows * cols, (o) => ref.refSoftmax(data(x), rows, cols, o)),

    adamUpdate: (p, g, m, v, hyper) => {
      const [op, om, ov] = [alloc(p.dtype, p.size), alloc(p.dtype, p.size), alloc(p.dtype, p.size)];
      ref.refAdamUpdate(data(p), data(g), data(m), data(v), hyper, op, om, ov);
      return [wrap(op), wrap(om), wrap(ov)] as const;
    },

    sinkhornBatched: (cost, a, b, t) => {
      const dt = cost.dtype;
      const out = { plan: alloc(dt, t.count * t.n * t.m), u: alloc(dt, t.count * t.n), v: alloc(dt, t.count * t.m), stats: alloc(dt, t.count * 2) };
      sinkhorn(data(cost), data(a), data(b), t, out);
      return { plan: wrap(out.plan), u: wrap(out.u), v: wrap(out.v), stats: wrap(out.stats) };
    },
  };
};
