/**
 * Reference elementwise kernels: unary maps, broadcasting binary maps, clamp, where, fill, cast.
 * NaN propagates through every arithmetic map (comparisons with NaN give 0, as in IEEE).
 */
import type { BinaryOp, UnaryOp } from '../../../lib/backend/backend.js';
import type { DType, TypedArray } from '../../../lib/tensor/dtype.js';
import { broadcastStrides, sizeOf, type Shape } from '../../../lib/tensor/shape.js';
import { outLike } from './alloc.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;

/** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
export const gelu = (x: number): number => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_C * x * x * x)));

/** Exact derivative of the tanh-approximated GELU above. */
export const geluGrad = (x: number): number => {
  const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_C * x * x * x));
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_C * x * x);
};

/** Numerically stable logistic: never evaluates exp of a large positive number. */
const sigmoid = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

// Written so that NaN in gives NaN out (x < 0 ? 0 : x keeps NaN; Math.max(0, x) would too, step must as well).
export const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  relu: (x) => (x < 0 ? 0 : x),
  gelu,
  tanh: Math.tanh,
  sigmoid,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sign: Math.sign,
  step: (x) => (x > 0 ? 1 : x <= 0 ? 0 : x),
  geluGrad,
};

export const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  max: Math.max,
  min: Math.min,
  eq: (a, b) => (a === b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  // exactly mul(a, step(b)): a*1, a*0 (a signed zero, NaN for an infinite a), NaN where b is NaN
  reluGrad: (a, b) => a * (b > 0 ? 1 : b <= 0 ? 0 : b),
};

export const refUnary = (op: UnaryOp, x: TypedArray, out?: TypedArray): TypedArray => {
  const f = UNARY[op];
  const o = outLike(x, x.length, out);
  for (let i = 0; i < x.length; i++) o[i] = f(x[i]);
  return o;
};

/**
 * Visits the output of shape `outShape` in row-major order, calling visit(i, offsetA, offsetB, offsetC)
 * with each operand's (broadcast) offset. An odometer: increments the last axis and carries.
 */
export const forEachBroadcast = (
  outShape: Shape,
  strides: ReadonlyArray<readonly number[]>,
  visit: (i: number, oa: number, ob: number, oc: number) => void,
): void => {
  const n = sizeOf(outShape);
  const rank = outShape.length;
  const [sa, sb = [], sc = []] = strides;
  const idx = new Array<number>(rank).fill(0);
  let oa = 0,
    ob = 0,
    oc = 0;
  for (let i = 0; i < n; i++) {
    visit(i, oa, ob, oc);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      oa += sa[d];
      ob += sb[d] ?? 0;
      oc += sc[d] ?? 0;
      if (idx[d] < outShape[d]) break;
      oa -= sa[d] * outShape[d];
      ob -= (sb[d] ?? 0) * outShape[d];
      oc -= (sc[d] ?? 0) * outShape[d];
      idx[d] = 0;
    }
  }
};

export const refBinary = (op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out?: TypedArray): TypedArray => {
  const f = BINARY[op];
  const o = outLike(a, sizeOf(outShape), out);
  if (a.length === o.length && b.length === o.length) {
    for (let i = 0; i < o.length; i++) o[i] = f(a[i], b[i]); // same shape: no index arithmetic
    return o;
  }
  if (b.length === 1 && a.length === o.length) {
    const v = b[0]; // tensor op scalar: the common case in optimisers and losses
    for (let i = 0; i < o.length; i++) o[i] = f(a[i], v);
    return o;
  }
  if (a.length === 1 && b.length === o.length) {
    const v = a[0];
    for (let i = 0; i < o.length; i++) o[i] = f(v, b[i]);
    return o;
  }
  forEachBroadcast(outShape, [broadcastStrides(aShape, outShape), broadcastStrides(bShape, outShape)], (i, oa, ob) => {
    o[i] = f(a[oa], b[ob]);
  });
  return o;
};

/** Clamp to [lo, hi]; NaN stays NaN. */
export const refClamp = (x: TypedArray, lo: number, hi: number, out?: TypedArray): TypedArray => {
  const o = outLike(x, x.length, out);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    o[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return o;
};

export const refWhere = (
  cond: TypedArray,
  condShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outShape: Shape,
  out?: TypedArray,
): TypedArray => {
  const o = outLike(a, sizeOf(outShape), out);
  const strides = [condShape, aShape, bShape].map((s) => broadcastStrides(s, outShape));
  forEachBroadcast(outShape, strides, (i, oc, oa, ob) => {
    o[i] = cond[oc] !== 0 ? a[oa] : b[ob];
  });
  return o;
};

export const refFill = (size: number, value: number, dtype: DType): TypedArray =>
  (dtype === 'float64' ? new Float64Array(size) : new Float32Array(size)).fill(value);

export const refCast = (x: TypedArray, dtype: DType): TypedArray => (dtype === 'float64' ? Float64Array.from(x) : Float32Array.from(x));
