/**
 * The one interface between the engine and its kernels. A backend stores tensor data behind
 * opaque handles and runs named primitive kernels on them; it knows nothing of autodiff or of
 * ELIM. Every primitive takes the shapes it needs explicitly (handles carry only their length
 * and dtype), returns a fresh handle, and never mutates its inputs. Shapes passed in have
 * already been validated by the op layer (lib/ops), so kernels may assume them consistent.
 *
 * Memory: handles are released explicitly (`release`), never left to a garbage collector; the
 * op layer's scopes release intermediates, and `liveHandles()` lets tests prove there is no leak.
 */
import type { DType, TypedArray } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

/** Opaque, backend-owned storage. */
export interface DataHandle {
  readonly size: number;
  readonly dtype: DType;
}

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'relu'
  | 'gelu'
  | 'tanh'
  | 'sigmoid'
  | 'square'
  | 'reciprocal'
  | 'sign'
  | 'step' // 1 where x > 0 else 0 (ReLU's derivative)
  | 'geluGrad'; // d gelu(x) / dx (tanh approximation, as gelu)

export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'max'
  | 'min'
  | 'eq'
  | 'gt'
  | 'ge'
  | 'lt' // comparisons give 1 or 0
  | 'reluGrad'; // a * step(b): ReLU's gradient a passed where b > 0 (one pass instead of step, then mul)

export type ReduceOp = 'sum' | 'max' | 'min';

/** One Adam step's scalars: step t counts from 1; weightDecay is L2 (added to g) unless decoupled (AdamW). */
export interface AdamHyper {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly step: number;
}

/** The activation a fused convolution applies after its bias: ReLU is x < 0 ? 0 : x. */
export type ConvActivation = 'none' | 'relu';

export interface Conv2dAttrs {
  readonly stride: readonly [number, number];
  readonly pad: readonly [number, number];
}

export interface Pool2dAttrs {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly pad: readonly [number, number];
}

/**
 * One batched Sinkhorn solve (appendix Alg. 1, scaling form) over P problems of one shape n x m:
 * lib/ot/options.ts's resolved options plus the batch's shape.
 */
export interface SinkhornAttrs {
  readonly count: number;
  readonly n: number;
  readonly m: number;
  readonly lambda: number;
  /** Maximum iterations T. */
  readonly iterations: number;
  /** Per-problem early stop once max|du| <= tolerance * max|u| (0: exactly T iterations). */
  readonly tolerance: number;
  /** Division guard (the release's 1e-6; 0: the textbook iteration). */
  readonly guard: number;
}

/** What `sinkhornBatched` returns, all on the backend. */
export interface SinkhornBatchedResult {
  /** [P, n, m] plans X = diag(u) K diag(v). */
  readonly plan: DataHandle;
  /** [P, n] and [P, m] scalings. */
  readonly u: DataHandle;
  readonly v: DataHandle;
  /** [P, 2]: iterations run, last relative change of u (max|du| / max|u|). */
  readonly stats: DataHandle;
}

export interface Backend {
  /** 'cpu', 'gpujs', ... */
  readonly name: string;
  /** What was actually obtained, e.g. 'cpu-ts(2 threads)' or 'HeadlessGLKernel'. Logged by every run. */
  readonly kernelClass: string;
  /** dtypes this backend computes in; float64 only where exact (the CPU backend). */
  readonly dtypes: readonly DType[];

  upload(data: TypedArray): DataHandle; // copies
  download(h: DataHandle): TypedArray; // a copy the caller owns
  /**
   * Optional awaitable read: the same values as `download`, without blocking the thread while a
   * device finishes (a WebGL2 fence, a WebGPU map). Backends without it are read through
   * `download` (lib/tensor/tensor.ts `toArrayAsync`). On a backend whose reads are inherently
   * asynchronous (WebGPU), `download` may throw a BackendError that points here.
   */
  downloadAsync?(h: DataHandle): Promise<TypedArray>;
  release(h: DataHandle): void;
  liveHandles(): number;
  fill(size: number, value: number, dtype: DType): DataHandle;
  cast(x: DataHandle, dtype: DType): DataHandle;

  unary(op: UnaryOp, x: DataHandle): DataHandle;
  /** Elementwise with NumPy broadcasting; outShape = broadcast(aShape, bShape). */
  binary(op: BinaryOp, a: DataHandle, aShape: Shape, b: DataHandle, bShape: Shape, outShape: Shape): DataHandle;
  clamp(x: DataHandle, lo: number, hi: number): DataHandle;
  /** out = cond != 0 ? a : b, all three broadcast to outShape. */
  where(cond: DataHandle, condShape: Shape, a: DataHandle, aShape: Shape, b: DataHandle, bShape: Shape, outShape: Shape): DataHandle;
  /** Reduce over `axes` (sorted, unique); the result has `shape` with those axes set to 1. */
  reduce(op: ReduceOp, x: DataHandle, shape: Shape, axes: readonly number[]): DataHandle;

  /**
   * Batched matmul: a is [Ba, M, K] (or [Ba, K, M] when transA), b is [Bb, K, N] (or [Bb, N, K]
   * when transB); Ba and Bb are equal or one of them is 1 (broadcast). Result [max(Ba,Bb), M, N].
   */
  matmul(
    a: DataHandle,
    aShape: readonly [number, number, number],
    b: DataHandle,
    bShape: readonly [number, number, number],
    transA: boolean,
    transB: boolean,
  ): DataHandle;

  permute(x: DataHandle, shape: Shape, perm: readonly number[]): DataHandle;
  /** Copy of the box [begin, begin + size) of x. */
  slice(x: DataHandle, shape: Shape, begin: readonly number[], size: readonly number[]): DataHandle;
  /** Zeros of `outShape` with x written at offset `begin` (the adjoint of slice). */
  padInto(x: DataHandle, shape: Shape, begin: readonly number[], outShape: Shape): DataHandle;
  concat(xs: readonly DataHandle[], shapes: readonly Shape[], axis: number): DataHandle;
  /** Rows of x along axis 0: out[i, ...] = x[indices[i], ...]. */
  gather(x: DataHandle, shape: Shape, indices: Int32Array): DataHandle;
  /** out (rows = outRows) with out[indices[i], ...] += g[i, ...] (the adjoint of gather). */
  scatterAdd(g: DataHandle, gShape: Shape, indices: Int32Array, outRows: number): DataHandle;

  /** x [N, C, H, W], w [O, C, KH, KW] -> [N, O, OH, OW]. */
  conv2d(x: DataHandle, xShape: Shape, w: DataHandle, wShape: Shape, attrs: Conv2dAttrs): DataHandle;
  conv2dBackwardInput(dy: DataHandle, dyShape: Shape, w: DataHandle, wShape: Shape, xShape: Shape, attrs: Conv2dAttrs): DataHandle;
  conv2dBackwardFilter(x: DataHandle, xShape: Shape, dy: DataHandle, dyShape: Shape, wShape: Shape, attrs: Conv2dAttrs): DataHandle;
  /**
   * Optional fusion: act(conv2d(x, w) + bias[o]) with bias [O] in one pass (the epilogue runs while
   * the GEMM's output is in cache). A backend without it gets the composition of conv2d, add and
   * relu from the op layer, with the same values.
   */
  conv2dBiasAct?(x: DataHandle, xShape: Shape, w: DataHandle, wShape: Shape, bias: DataHandle, attrs: Conv2dAttrs, act: ConvActivation): DataHandle;
  /**
   * Optional fusion: one Adam/AdamW update of a parameter in one pass, returning [p, m, v]. The
   * values must be exactly those of the op composition (lib/ops/optim-update.ts), every
   * intermediate rounded to the dtype as the separate ops would round it.
   */
  adamUpdate?(p: DataHandle, g: DataHandle, m: DataHandle, v: DataHandle, h: AdamHyper): readonly [DataHandle, DataHandle, DataHandle];

  /**
   * Optional: P Sinkhorn problems solved on the backend (cost [P, n, m], weights a [P, n] and
   * b [P, m]), so the plans never leave it. Defined by lib/ot's host solver (lib/ot/batched.ts
   * `sinkhornBatchedReference`: runScaling per problem, float64); a backend without it gets that
   * reference through a download and an upload (lib/ot/device.ts). Non-finite entries mark a
   * problem whose scaling form under/overflowed (the host solver's Diverged). Only the scaling
   * form: the log-domain solver stays on the host.
   */
  sinkhornBatched?(cost: DataHandle, a: DataHandle, b: DataHandle, attrs: SinkhornAttrs): SinkhornBatchedResult;

  /** x [N, C, H, W]; padding never wins a max. */
  maxPool2d(x: DataHandle, xShape: Shape, attrs: Pool2dAttrs): DataHandle;
  /** Gradient routed to the (first) arg-max of each window. */
  maxPool2dBackward(x: DataHandle, xShape: Shape, dy: DataHandle, dyShape: Shape, attrs: Pool2dAttrs): DataHandle;
  /** Average over the in-bounds cells of each window (padding not counted). */
  avgPool2d(x: DataHandle, xShape: Shape, attrs: Pool2dAttrs): DataHandle;
  avgPool2dBackward(dy: DataHandle, dyShape: Shape, xShape: Shape, attrs: Pool2dAttrs): DataHandle;
  /** PyTorch's adaptive average pooling windows: [floor(i*H/OH), ceil((i+1)*H/OH)). */
  adaptiveAvgPool2d(x: DataHandle, xShape: Shape, out: readonly [number, number]): DataHandle;
  adaptiveAvgPool2dBackward(dy: DataHandle, dyShape: Shape, xShape: Shape): DataHandle;

  /** Softmax over the last axis of [rows, cols]. */
  softmax(x: DataHandle, rows: number, cols: number): DataHandle;
}
