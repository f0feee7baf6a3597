/**
 * Batched matmul [B, M, N] = op(A) op(B), one thread per output cell looping over k.
 * A is [Ba, M, K] ([Ba, K, M] when transA), B is [Bb, K, N] ([Bb, N, K] when transB); a batch
 * of 1 broadcasts.
 */
import { coords, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

type Dims3 = readonly [number, number, number];

export const matmul = (rt: Runtime, a: GpuHandle, aShape: Dims3, b: GpuHandle, bShape: Dims3, transA: boolean, transB: boolean): GpuHandle => {
  const [ba, ar, ac] = aShape;
  const [bb, br, bc] = bShape;
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const batch = Math.max(ba, bb);
  let s = coords('o', 'j', [batch, m, n]); // o0 batch, o1 row, o2 column
  const aBase = ba === 1 ? '0' : `o0 * ${ar * ac}`;
  const bBase = bb === 1 ? '0' : `o0 * ${br * bc}`;
  // element (row, kk) of op(A) and (kk, col) of op(B), as flat offsets
  const aIdx = transA ? `${aBase} + kk * ${ac} + o1` : `${aBase} + o1 * ${ac} + kk`;
  const bIdx = transB ? `${bBase} + o2 * ${bc} + kk` : `${bBase} + kk * ${bc} + o2`;
  s += `  let acc = 0.0;\n  for (let kk = 0; kk < ${k}; kk++) {\n`;
  s += readFlat('av', 'a', aIdx, a) + readFlat('bv', 'b', bIdx, b);
  s += '  acc += av * bv;\n  }\n  return acc;';
  return rt.run(['a', 'b'], s, batch * m * n, [a, b]);
};
