/** Reference batched matmul (triple loop, double-precision accumulation). Shapes as in Backend.matmul. */
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { outLike } from './alloc.js';

export type Shape3 = readonly [number, number, number];

/** [M, K, N] of op(A) op(B) for the given stored shapes. */
export const matmulDims = (aShape: Shape3, bShape: Shape3, transA: boolean, transB: boolean): [number, number, number] => {
  const m = transA ? aShape[2] : aShape[1];
  const k = transA ? aShape[1] : aShape[2];
  const n = transB ? bShape[1] : bShape[2];
  return [m, k, n];
};

export const refMatmul = (a: TypedArray, aShape: Shape3, b: TypedArray, bShape: Shape3, transA: boolean, transB: boolean, out?: TypedArray): TypedArray => {
  const [ba, , ac] = aShape;
  const [bb, , bc] = bShape;
  const [m, k, n] = matmulDims(aShape, bShape, transA, transB);
  const batch = Math.max(ba, bb);
  const o = outLike(a, batch * m * n, out);
  for (let bi = 0; bi < batch; bi++) {
    const aOff = (ba === 1 ? 0 : bi) * aShape[1] * ac;
    const bOff = (bb === 1 ? 0 : bi) * bShape[1] * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[aOff + p * ac + i] : a[aOff + i * ac + p];
          const bv = transB ? b[bOff + j * bc + p] : b[bOff + p * bc + j];
          acc += av * bv;
        }
        o[(bi * m + i) * n + j] = acc;
      }
    }
  }
  return o;
};
