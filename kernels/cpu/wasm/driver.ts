/**
 * The JavaScript side of the wasm kernels' GEMM: cache blocking around the wasm pack/macro
 * exports, and the matmul job parts a thread runs (the convolution and pool parts are in
 * parts.ts). The calling thread and
 * the pool's workers run these same functions (workers rebuild them from their source text), so
 * every function here is a self-contained `function` declaration using only its parameters,
 * each other and globals.
 *
 * `ws` (one per thread) holds the wasm exports, the blocking sizes and byte addresses of that
 * thread's scratch in the shared memory; `view(ws)` is a float32 view of the whole memory
 * (re-made after the memory grew, possibly on another thread).
 */

import type { WasmMemory } from './api.js';
import { matmulSplit } from '../threads/job-split.js';

/** im2col's and col2imAdd's geometry (c0, c1, H, W, KH, KW, sh, sw, ph, pw, OH, OW): channels [c0, c1), image, kernel, stride, padding, output. */
type ColGeometry = [number, number, number, number, number, number, number, number, number, number, number, number];

export interface WasmExports {
  packA(src: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: number): void;
  packB(src: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: number): void;
  macro(mc: number, nc: number, kc: number, ap: number, bp: number, c: number, ldc: number, mode: number, tmp: number): void;
  /** col (CKK x OH*OW) from channels [c0, c1) of image x. */
  im2col(x: number, ...geometryThenCol: [...ColGeometry, number]): void;
  /** Adds col back into image x (the adjoint of im2col). */
  col2imAdd(col: number, ...geometryThenX: [...ColGeometry, number]): void;
  biasAct(y: number, rows: number, P: number, bias: number, relu: number): void;
  maxPool2x2(x: number, planes: number, H: number, W: number, y: number): void;
  maxPool2x2Back(x: number, dy: number, planes: number, H: number, W: number, dx: number): void;
}

export interface WasmThread {
  readonly ex: WasmExports;
  readonly memory: WasmMemory;
  /** Thread index (0 = the calling thread). */
  readonly t: number;
  readonly MC: number;
  readonly KC: number;
  readonly NC: number;
  /** Byte addresses of the packed A block, the packed B block and the edge tile. */
  readonly ap: number;
  readonly bp: number;
  readonly tmp: number;
  f32: Float32Array;
}

export function view(ws: WasmThread): Float32Array {
  const buf = ws.memory.buffer;
  if (ws.f32.buffer !== buf || ws.f32.length * 4 !== buf.byteLength) ws.f32 = new Float32Array(buf);
  return ws.f32;
}

/**
 * C[M,N] (row stride ldc) = A·B, or += when `accumulate`; A(i,k) = A[a + (i*aRs + k*aCs)*4],
 * B(k,j) = B[b + (k*bRs + j*bCs)*4] (byte addresses, element strides: transposes are strides).
 */
export function wgemm(
  ws: WasmThread,
  M: number,
  N: number,
  K: number,
  a: number,
  aRs: number,
  aCs: number,
  b: number,
  bRs: number,
  bCs: number,
  c: number,
  ldc: number,
  accumulate: boolean,
): void {
  if (M <= 0 || N <= 0) return;
  const ex = ws.ex;
  const KC = ws.KC,
    MC = ws.MC,
    NC = ws.NC;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    // K = 0 still runs one (empty) block so that C is written (zeros) when not accumulating
    for (let pc = 0; pc < K || (pc === 0 && K <= 0); pc += KC) {
      const kc = Math.max(0, Math.min(KC, K - pc));
      ex.packB(b + (pc * bRs + jc * bCs) * 4, bCs, bRs, nc, kc, ws.bp);
      const mode = accumulate || pc > 0 ? 1 : 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = Math.min(MC, M - ic);
        ex.packA(a + (ic * aRs + pc * aCs) * 4, aRs, aCs, mc, kc, ws.ap);
        ex.macro(mc, nc, kc, ws.ap, ws.bp, c + (ic * ldc + jc) * 4, ldc, mode, ws.tmp);
      }
    }
  }
}

/**
 * matmul part. p = [ba, ar, ac, bb, br, bc, transA, transB, split, aAddr, bAddr, cAddr]; split
 * 0 = batches, 1 = rows of C, 2 = columns of C; [lo, hi) is a range of the split axis.
 */
export function wMatmulPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const [ba, ar, ac, bb, br, bc, , , , A, B, C] = p;
  const { M, K, N, aRs, aCs, bRs, bCs, t0, t1, m0, m1, n0, n1 } = matmulSplit(p, lo, hi);
  for (let t = t0; t < t1; t++) {
    const ao = A + ((ba === 1 ? 0 : t) * ar * ac + m0 * aRs) * 4;
    const bo = B + ((bb === 1 ? 0 : t) * br * bc + n0 * bCs) * 4;
    const co = C + (t * M * N + m0 * N + n0) * 4;
    wgemm(ws, m1 - m0, n1 - n0, K, ao, aRs, aCs, bo, bRs, bCs, co, N, false);
  }
}

/**
 * C[M,N] = A·B with A already packed (by wPackA: k block pc at AP + pc*mPad floats, its MR-row
 * panel q at + q*MR*kc): a convolution's weights are packed once per call instead of once per
 * image. Same loops as wgemm otherwise.
 */
export function wgemmPackedA(
  ws: WasmThread,
  M: number,
  N: number,
  K: number,
  AP: number,
  mPad: number,
  b: number,
  bRs: number,
  bCs: number,
  c: number,
  ldc: number,
): void {
  if (M <= 0 || N <= 0) return;
  const ex = ws.ex;
  const KC = ws.KC,
    MC = ws.MC,
    NC = ws.NC;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      ex.packB(b + (pc * bRs + jc * bCs) * 4, bCs, bRs, nc, kc, ws.bp);
      for (let ic = 0; ic < M; ic += MC)
        ex.macro(Math.min(MC, M - ic), nc, kc, AP + (pc * mPad + ic * kc) * 4, ws.bp, c + (ic * ldc + jc) * 4, ldc, pc > 0 ? 1 : 0, ws.tmp);
    }
  }
}

/** Packs all of A [M,K] (row stride aRs, column stride aCs) into the layout wgemmPackedA reads. */
export function wPackA(ws: WasmThread, M: number, K: number, A: number, aRs: number, aCs: number, AP: number, mPad: number): void {
  for (let pc = 0; pc < K; pc += ws.KC) {
    const kc = Math.min(ws.KC, K - pc);
    ws.ex.packA(A + pc * aCs * 4, aRs, aCs, M, kc, AP + pc * mPad * 4);
  }
}

/**
 * Two-thread GEMM without repacking B per chunk (splitting C's rows used to make every chunk pack
 * all of B again, which held matmul 512 at ~1.1x on two threads): B is packed once, in parallel
 * over column panels, into a shared buffer laid out block by block (k block pc at BP + pc*nPad
 * floats, its panel q at + q*NR*kc), then row chunks run the macro-kernel on it.
 * p = [M, N, K, A, aRs, aCs, B, bRs, bCs, C, BP, nPad] (bytes for addresses, elements otherwise).
 * Pack part: columns [lo, hi) of every k block (lo a multiple of NR). Rows part: C rows [lo, hi).
 */
export function wPackBPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const K = p[2],
    B = p[6],
    bRs = p[7],
    bCs = p[8],
    BP = p[10],
    nPad = p[11];
  for (let pc = 0; pc < K; pc += ws.KC) {
    const kc = Math.min(ws.KC, K - pc);
    ws.ex.packB(B + (pc * bRs + lo * bCs) * 4, bCs, bRs, hi - lo, kc, BP + (pc * nPad + lo * kc) * 4);
  }
}

export function wRowsOnPackedBPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const N = p[1],
    K = p[2],
    A = p[3],
    aRs = p[4],
    aCs = p[5],
    C = p[9],
    BP = p[10],
    nPad = p[11];
  for (let pc = 0; pc < K; pc += ws.KC) {
    const kc = Math.min(ws.KC, K - pc);
    for (let ic = lo; ic < hi; ic += ws.MC) {
      const mc = Math.min(ws.MC, hi - ic);
      ws.ex.packA(A + (ic * aRs + pc * aCs) * 4, aRs, aCs, mc, kc, ws.ap);
      ws.ex.macro(mc, N, kc, ws.ap, BP + pc * nPad * 4, C + ic * N * 4, N, pc > 0 ? 1 : 0, ws.tmp);
    }
  }
}
