/**
 * Reference data-movement kernels read as ndarray views: a permute is a transposed view, a
 * slice a lo/hi box, padInto writes into a box of a zero array. One strided copy does the work.
 */
import ndarray from 'ndarray';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { sizeOf, type Shape } from '../../../lib/tensor/shape.js';
import { forEachBroadcast } from './elementwise.js';
import { outLike } from './alloc.js';

type View = ndarray.NdArray<TypedArray>;

const view = (data: TypedArray, shape: Shape): View => ndarray(data, [...shape]);

/** dst[idx] = src[idx] for every index of their (equal) shape; both may be strided. */
const copyView = (src: View, dst: View): void => {
  const s = src.data;
  const d = dst.data;
  forEachBroadcast(src.shape, [src.stride, dst.stride], (_i, os, od) => {
    d[dst.offset + od] = s[src.offset + os];
  });
};

/** out = x with axes reordered: out.shape[i] = shape[perm[i]]. */
export const refPermute = (x: TypedArray, shape: Shape, perm: readonly number[], out?: TypedArray): TypedArray => {
  const outShape = perm.map((p) => shape[p]);
  const o = outLike(x, x.length, out);
  if (x.length === 0) return o;
  copyView(view(x, shape).transpose(...perm), view(o, outShape));
  return o;
};

/** The box [begin, begin + size) of x. */
export const refSlice = (x: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[], out?: TypedArray): TypedArray => {
  const o = outLike(x, sizeOf(size), out);
  if (o.length === 0) return o;
  copyView(
    view(x, shape)
      .lo(...begin)
      .hi(...size),
    view(o, size),
  );
  return o;
};

/** Zeros of outShape with x written at `begin` (slice's adjoint). */
export const refPadInto = (x: TypedArray, shape: Shape, begin: readonly number[], outShape: Shape, out?: TypedArray): TypedArray => {
  const o = outLike(x, sizeOf(outShape), out);
  o.fill(0);
  if (x.length === 0) return o;
  copyView(
    view(x, shape),
    view(o, outShape)
      .lo(...begin)
      .hi(...shape),
  );
  return o;
};

/** Inputs joined along `axis` (all other dims equal). */
export const refConcat = (xs: readonly TypedArray[], shapes: readonly Shape[], axis: number, out?: TypedArray): TypedArray => {
  const outer = sizeOf(shapes[0].slice(0, axis));
  const chunks = shapes.map((s) => sizeOf(s.slice(axis)));
  const row = chunks.reduce((a, b) => a + b, 0);
  const o = outLike(xs[0], outer * row, out);
  for (let r = 0; r < outer; r++) {
    let at = r * row;
    xs.forEach((x, k) => {
      o.set(x.subarray(r * chunks[k], (r + 1) * chunks[k]), at);
      at += chunks[k];
    });
  }
  return o;
};

/** out[i, ...] = x[indices[i], ...] (indices already checked in range by the op layer). */
export const refGather = (x: TypedArray, shape: Shape, indices: Int32Array, out?: TypedArray): TypedArray => {
  const row = sizeOf(shape.slice(1));
  const o = outLike(x, indices.length * row, out);
  indices.forEach((src, i) => o.set(x.subarray(src * row, (src + 1) * row), i * row));
  return o;
};

/** out has outRows rows; out[indices[i], ...] += g[i, ...] (gather's adjoint; repeated indices accumulate). */
export const refScatterAdd = (g: TypedArray, gShape: Shape, indices: Int32Array, outRows: number, out?: TypedArray): TypedArray => {
  const row = sizeOf(gShape.slice(1));
  const o = outLike(g, outRows * row, out);
  o.fill(0);
  indices.forEach((dst, i) => {
    for (let j = 0; j < row; j++) o[dst * row + j] += g[i * row + j];
  });
  return o;
};
