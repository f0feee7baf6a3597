/**
 * The one switch point for the heavy kernels (matmul, conv2d and its backward passes, and the
 * max pool). float64 runs the reference implementations (float64 is the numerical reference,
 * so it is never "optimised"). float32 goes to the WebAssembly SIMD kernels (kernels/cpu/wasm)
 * when they are available and not disabled (env ELIM_WASM=0); otherwise to the TypeScript fast
 * kernels (kernels/cpu/fast), with the reason logged once. A call too big for the wasm memory
 * (2 GiB) is declined by the wasm kernel and runs on the TypeScript path. Other max pools (and
 * float64 ones) run ./light/max-pool.ts. Every path writes into a preallocated output and fully
 * overwrites it.
 */
import type { Conv2dAttrs, ConvActivation, Pool2dAttrs } from '../../lib/backend/backend.js';
import { lightMaxPool2d, lightMaxPool2dBackward } from './light/max-pool.js';
import type { TypedArray } from '../../lib/tensor/dtype.js';
import type { Shape } from '../../lib/tensor/shape.js';
import * as fast from './fast/index.js';
import * as ref from './reference/index.js';
import * as wasm from './wasm/index.js';

type Shape3 = readonly [number, number, number];
const f32 = (...arrs: TypedArray[]) => arrs.every((a) => a instanceof Float32Array);

let loggedOff = '';
/** True when the wasm kernels should run; logs (once per reason) why not. */
const useWasm = (): boolean => {
  const off = wasm.wasmOffReason();
  if (off && off !== loggedOff) console.warn(`cpu backend: WebAssembly SIMD kernels off (${off}); using the TypeScript kernels`);
  loggedOff = off;
  return off === '';
};

/** What the float32 heavy kernels run on now, e.g. 'wasm-simd128 4x8 (2 threads)' (for a backend's kernelClass). */
export const heavyKernelInfo = (): string => {
  const off = wasm.wasmOffReason();
  return off ? `ts-fast (wasm off: ${off})` : wasm.wasmKernelInfo();
};

export const matmulInto = (a: TypedArray, aShape: Shape3, b: TypedArray, bShape: Shape3, transA: boolean, transB: boolean, out: TypedArray): void => {
  if (f32(a, b, out) && useWasm() && wasm.wasmMatmul(a as Float32Array, aShape, b as Float32Array, bShape, transA, transB, out as Float32Array)) return;
  else if (f32(a, b, out)) fast.fastMatmul(a as Float32Array, aShape, b as Float32Array, bShape, transA, transB, out as Float32Array);
  else ref.refMatmul(a, aShape, b, bShape, transA, transB, out);
};

export const conv2dInto = (x: TypedArray, xShape: Shape, w: TypedArray, wShape: Shape, attrs: Conv2dAttrs, out: TypedArray): void => {
  if (f32(x, w, out) && useWasm() && wasm.wasmConv2d(x as Float32Array, xShape, w as Float32Array, wShape, attrs, out as Float32Array)) return;
  else if (f32(x, w, out)) fast.fastConv2d(x as Float32Array, xShape, w as Float32Array, wShape, attrs, out as Float32Array);
  else ref.refConv2d(x, xShape, w, wShape, attrs, out);
};

/** act(conv2d + bias): fused into the wasm GEMM's epilogue, else the convolution then one in-place pass. */
export const conv2dBiasActInto = (
  x: TypedArray,
  xShape: Shape,
  w: TypedArray,
  wShape: Shape,
  bias: TypedArray,
  attrs: Conv2dAttrs,
  act: ConvActivation,
  out: TypedArray,
): void => {
  const epi = { bias: bias as Float32Array, relu: act === 'relu' };
  if (f32(x, w, bias, out) && useWasm() && wasm.wasmConv2d(x as Float32Array, xShape, w as Float32Array, wShape, attrs, out as Float32Array, epi)) return;
  conv2dInto(x, xShape, w, wShape, attrs, out);
  ref.applyBiasAct(out, wShape[0], out.length / (xShape[0] * wShape[0]), bias, act);
};

export const conv2dBackwardInputInto = (
  dy: TypedArray,
  dyShape: Shape,
  w: TypedArray,
  wShape: Shape,
  xShape: Shape,
  attrs: Conv2dAttrs,
  out: TypedArray,
): void => {
  if (f32(dy, w, out) && useWasm() && wasm.wasmConv2dBackwardInput(dy as Float32Array, w as Float32Array, wShape, xShape, attrs, out as Float32Array)) return;
  else if (f32(dy, w, out)) fast.fastConv2dBackwardInput(dy as Float32Array, dyShape, w as Float32Array, wShape, xShape, attrs, out as Float32Array);
  else ref.refConv2dBackwardInput(dy, dyShape, w, wShape, xShape, attrs, out);
};

export const conv2dBackwardFilterInto = (
  x: TypedArray,
  xShape: Shape,
  dy: TypedArray,
  dyShape: Shape,
  wShape: Shape,
  attrs: Conv2dAttrs,
  out: TypedArray,
): void => {
  if (f32(x, dy, out) && useWasm() && wasm.wasmConv2dBackwardFilter(x as Float32Array, xShape, dy as Float32Array, wShape, attrs, out as Float32Array)) return;
  else if (f32(x, dy, out)) fast.fastConv2dBackwardFilter(x as Float32Array, xShape, dy as Float32Array, dyShape, wShape, attrs, out as Float32Array);
  else ref.refConv2dBackwardFilter(x, xShape, dy, dyShape, wShape, attrs, out);
};

/** Max pool: the wasm 2x2 stride-2 kernel for float32 where it applies, else the light loop. */
export const maxPool2dInto = (x: TypedArray, xShape: Shape, attrs: Pool2dAttrs, out: TypedArray): void => {
  if (f32(x, out) && wasm.isMaxPool2x2(attrs) && useWasm() && wasm.wasmMaxPool2x2(x as Float32Array, xShape, null, out as Float32Array)) return;
  lightMaxPool2d(x, xShape, attrs, out);
};

export const maxPool2dBackwardInto = (x: TypedArray, xShape: Shape, dy: TypedArray, attrs: Pool2dAttrs, out: TypedArray): void => {
  if (f32(x, dy, out) && wasm.isMaxPool2x2(attrs) && useWasm() && wasm.wasmMaxPool2x2(x as Float32Array, xShape, dy as Float32Array, out as Float32Array))
    return;
  lightMaxPool2dBackward(x, xShape, dy, attrs, out);
};
