/**
 * Single-thread float32 GEMM on strided operands: C[M,N] (+)= A[M,K] · B[K,N], where
 * A(i,k) = A[aOff + i*aRs + k*aCs] and B(k,j) = B[bOff + k*bRs + j*bCs] (so transposes are just
 * strides). GotoBLAS-style blocking: a KC x NC block of B and an MC x KC block of A are packed
 * (into float64 panels: the micro-kernel then loads doubles without a conversion per read) as
 * 4-wide panels padded with zeros, and a 4x4 register-tiled micro-kernel walks them.
 *
 * Every function here is a self-contained `function` declaration that references only its
 * parameters, each other and globals: the worker pool (pool.ts) rebuilds them in a worker from
 * their source text (`Function.prototype.toString`). Keep it that way: no imports, no closures
 * over module constants, no TypeScript-only runtime constructs.
 */

/** Per-thread reusable scratch (packing panels, im2col columns), grown on demand. */
export interface FastScratch {
  ap: Float64Array;
  bp: Float64Array;
  col: Float32Array;
}

export function newScratch(): FastScratch {
  return { ap: new Float64Array(0), bp: new Float64Array(0), col: new Float32Array(0) };
}

/** Grows (never shrinks) a float64 scratch panel of `ws`. */
export function scratchF64(ws: FastScratch, key: 'ap' | 'bp', n: number): Float64Array {
  if (ws[key].length < n) ws[key] = new Float64Array(Math.max(n, Math.ceil(ws[key].length * 1.5)));
  return ws[key];
}

/**
 * Packs `lanes` lanes (rows of A or columns of B) of a kc-long strip into 4-lane panels:
 * dst[(p*kc + k)*4 + l] = src[off + (4p+l)*laneStride + k*kStride], zero past `lanes`.
 */
export function packPanels(src: Float32Array, off: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: Float64Array): void {
  let p = 0;
  let l = 0;
  for (; l + 4 <= lanes; l += 4) {
    let i0 = off + l * laneStride;
    let i1 = i0 + laneStride;
    let i2 = i1 + laneStride;
    let i3 = i2 + laneStride;
    for (let k = 0; k < kc; k++) {
      dst[p] = src[i0];
      dst[p + 1] = src[i1];
      dst[p + 2] = src[i2];
      dst[p + 3] = src[i3];
      p += 4;
      i0 += kStride;
      i1 += kStride;
      i2 += kStride;
      i3 += kStride;
    }
  }
  if (l < lanes) {
    const rem = lanes - l;
    for (let k = 0; k < kc; k++) {
      for (let r = 0; r < 4; r++) dst[p + r] = r < rem ? src[off + (l + r) * laneStride + k * kStride] : 0;
      p += 4;
    }
  }
}

/** C[4x4 at co] += Ap-panel · Bp-panel over kc steps (full tile). */
export function micro4x4(kc: number, ap: Float64Array, ao: number, bp: Float64Array, bo: number, c: Float32Array, co: number, ldc: number): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const end = ao + 4 * kc;
  while (ao < end) {
    const b0 = bp[bo],
      b1 = bp[bo + 1],
      b2 = bp[bo + 2],
      b3 = bp[bo + 3];
    let a = ap[ao];
    c00 += a * b0;
    c01 += a * b1;
    c02 += a * b2;
    c03 += a * b3;
    a = ap[ao + 1];
    c10 += a * b0;
    c11 += a * b1;
    c12 += a * b2;
    c13 += a * b3;
    a = ap[ao + 2];
    c20 += a * b0;
    c21 += a * b1;
    c22 += a * b2;
    c23 += a * b3;
    a = ap[ao + 3];
    c30 += a * b0;
    c31 += a * b1;
    c32 += a * b2;
    c33 += a * b3;
    ao += 4;
    bo += 4;
  }
  c[co] += c00;
  c[co + 1] += c01;
  c[co + 2] += c02;
  c[co + 3] += c03;
  co += ldc;
  c[co] += c10;
  c[co + 1] += c11;
  c[co + 2] += c12;
  c[co + 3] += c13;
  co += ldc;
  c[co] += c20;
  c[co + 1] += c21;
  c[co + 2] += c22;
  c[co + 3] += c23;
  co += ldc;
  c[co] += c30;
  c[co + 1] += c31;
  c[co + 2] += c32;
  c[co + 3] += c33;
}

/**
 * As micro4x4 for an edge tile: the full 4x4 product of the zero-padded panels is computed
 * (padding lanes only produce discarded values) and only its top-left mr x nr is added to C.
 */
export function microEdge(
  kc: number,
  ap: Float64Array,
  ao: number,
  bp: Float64Array,
  bo: number,
  c: Float32Array,
  co: number,
  ldc: number,
  mr: number,
  nr: number,
): void {
  let c00 = 0,
    c01 = 0,
    c02 = 0,
    c03 = 0,
    c10 = 0,
    c11 = 0,
    c12 = 0,
    c13 = 0;
  let c20 = 0,
    c21 = 0,
    c22 = 0,
    c23 = 0,
    c30 = 0,
    c31 = 0,
    c32 = 0,
    c33 = 0;
  const end = ao + 4 * kc;
  while (ao < end) {
    const b0 = bp[bo],
      b1 = bp[bo + 1],
      b2 = bp[bo + 2],
      b3 = bp[bo + 3];
    let a = ap[ao];
    c00 += a * b0;
    c01 += a * b1;
    c02 += a * b2;
    c03 += a * b3;
    a = ap[ao + 1];
    c10 += a * b0;
    c11 += a * b1;
    c12 += a * b2;
    c13 += a * b3;
    a = ap[ao + 2];
    c20 += a * b0;
    c21 += a * b1;
    c22 += a * b2;
    c23 += a * b3;
    a = ap[ao + 3];
    c30 += a * b0;
    c31 += a * b1;
    c32 += a * b2;
    c33 += a * b3;
    ao += 4;
    bo += 4;
  }
  const t = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) c[co + i * ldc + j] += t[4 * i + j];
  }
}

/** C[M,N] (ldc) = A·B, or += when `accumulate`. See the file comment for the strides. */
export function gemm(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  aOff: number,
  aRs: number,
  aCs: number,
  B: Float32Array,
  bOff: number,
  bRs: number,
  bCs: number,
  C: Float32Array,
  cOff: number,
  ldc: number,
  accumulate: boolean,
  ws: FastScratch,
): void {
  if (M <= 0 || N <= 0) return;
  if (!accumulate) {
    for (let i = 0; i < M; i++) C.fill(0, cOff + i * ldc, cOff + i * ldc + N);
  }
  if (K <= 0) return;
  const KC = 256;
  const MC = 64;
  const NC = 1024;
  const ap = scratchF64(ws, 'ap', MC * KC);
  const bp = scratchF64(ws, 'bp', KC * NC);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      packPanels(B, bOff + pc * bRs + jc * bCs, bCs, bRs, nc, kc, bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        packPanels(A, aOff + ic * aRs + pc * aCs, aRs, aCs, mc, kc, ap);
        const cBase = cOff + ic * ldc + jc;
        for (let jr = 0; jr < nc; jr += 4) {
          const nr = Math.min(4, nc - jr);
          const bo = jr * kc;
          for (let ir = 0; ir < mc; ir += 4) {
            const mr = Math.min(4, mc - ir);
            if (mr === 4 && nr === 4) micro4x4(kc, ap, ir * kc, bp, bo, C, cBase + ir * ldc + jr, ldc);
            else microEdge(kc, ap, ir * kc, bp, bo, C, cBase + ir * ldc + jr, ldc, mr, nr);
          }
        }
      }
    }
  }
}
