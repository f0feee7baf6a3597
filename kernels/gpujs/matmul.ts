/**
 * Batched matmul [B, M, N] = op(A) op(B). A is [Ba, M, K] ([Ba, K, M] when transA), B is
 * [Bb, K, N] ([Bb, N, K] when transB); a batch of 1 broadcasts.
 * On GL, products big enough to pay for two packing passes run through the packed, 4x4-tiled
 * GEMM (packed-gemm.ts); on WebGPU a thread computes four adjacent columns (Runtime.run4: each
 * element of A read once for four multiply-adds); otherwise one thread per output cell.
 */
import { coords, readFlat } from './codegen.js';
import { gemmPacked, outFits, packFits, packOperand, planGemm, unpackGemm } from './packed-gemm.js';
import type { GpuHandle, Runtime } from './runtime.js';

type Dims3 = readonly [number, number, number];

/** Below this many multiply-adds the three extra launches of the packed path cost more than they save. */
const PACKED_MIN_MACS = 1 << 16;

export const matmul = (rt: Runtime, a: GpuHandle, aShape: Dims3, b: GpuHandle, bShape: Dims3, transA: boolean, transB: boolean): GpuHandle => {
  const [ba, ar, ac] = aShape;
  const [bb, br, bc] = bShape;
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const n = transB ? br : bc;
  const batch = Math.max(ba, bb);
  if (rt.usePacked(batch * m * n * k, PACKED_MIN_MACS)) {
    const plan = planGemm(batch * Math.ceil(m / 4) * Math.ceil(n / 4), k);
    if (packFits(ba, m, plan) && packFits(bb, n, plan) && outFits(batch, m, n, plan.S)) {
      const X = packOperand(
        rt,
        {
          batch: ba,
          rows: m,
          depth: k,
          params: ['a'],
          args: [a],
          elem: (o, bi, r, kk) => readFlat(o, 'a', transA ? `${bi} * ${ar * ac} + ${kk} * ${ac} + ${r}` : `${bi} * ${ar * ac} + ${r} * ${ac} + ${kk}`, a),
        },
        plan,
      );
      const Y = packOperand(
        rt,
        {
          batch: bb,
          rows: n,
          depth: k,
          params: ['b'],
          args: [b],
          elem: (o, bi, r, kk) => readFlat(o, 'b', transB ? `${bi} * ${br * bc} + ${r} * ${bc} + ${kk}` : `${bi} * ${br * bc} + ${kk} * ${bc} + ${r}`, b),
        },
        plan,
      );
      const C = gemmPacked(rt, X, Y, m, n);
      rt.release(X.tex);
      rt.release(Y.tex);
      const place = coords('o', 'j', [batch, m, n]) + '  const ub = o0;\n  const ur = o1;\n  const uc = o2;\n';
      const out = unpackGemm(rt, C, batch * m * n, place);
      for (const h of C.texs) rt.release(h);
      return out;
    }
  }
  const aBase = ba === 1 ? '0' : `o0 * ${ar * ac}`;
  const bBase = bb === 1 ? '0' : `o0 * ${br * bc}`;
  // element (row, kk) of op(A) and (kk, col) of op(B), as flat offsets
  const aIdx = transA ? `${aBase} + kk * ${ac} + o1` : `${aBase} + o1 * ${ac} + kk`;
  const bIdx = (col: string) => (transB ? `${bBase} + (${col}) * ${bc} + kk` : `${bBase} + kk * ${bc} + ${col}`);
  if (rt.quadOutputs && n % 4 === 0) {
    // q..q+3 share batch and row (n is a multiple of 4): columns o2..o2+3
    let q = coords('o', 'q', [batch, m, n]) + '  let s0 = 0.0;\n  let s1 = 0.0;\n  let s2 = 0.0;\n  let s3 = 0.0;\n';
    q += `  for (let kk = 0; kk < ${k}; kk++) {\n` + readFlat('av', 'a', aIdx, a);
    for (let c = 0; c < 4; c++) q += readFlat(`b${c}`, 'b', bIdx(`o2 + ${c}`), b) + `  s${c} += av * b${c};\n`;
    return rt.run4(['a', 'b'], q + '  }\n  return [s0, s1, s2, s3];', batch * m * n, [a, b]);
  }
  let s = coords('o', 'j', [batch, m, n]); // o0 batch, o1 row, o2 column
  s += `  let acc = 0.0;\n  for (let kk = 0; kk < ${k}; kk++) {\n`;
  s += readFlat('av', 'a', aIdx, a) + readFlat('bv', 'b', bIdx('o2'), b);
  s += '  acc += av * bv;\n  }\n  return acc;';
  return rt.run(['a', 'b'], s, batch * m * n, [a, b]);
};
