/**
 * The JavaScript side of the wasm kernels: cache blocking around the wasm pack/macro exports,
 * and the job parts a thread runs (im2col/col2im are wasm exports too). The calling thread and
 * the pool's workers run these same functions (workers rebuild them from their source text), so
 * every function here is a self-contained `function` declaration using only its parameters,
 * each other and globals.
 *
 * `ws` (one per thread) holds the wasm exports, the blocking sizes and byte addresses of that
 * thread's scratch in the shared memory; `view(ws)` is a float32 view of the whole memory
 * (re-made after the memory grew, possibly on another thread).
 */

import type { WasmMemory } from './api.js';

export interface WasmExports {
  packA(src: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: number): void;
  packB(src: number, laneStride: number, kStride: number, lanes: number, kc: number, dst: number): void;
  macro(mc: number, nc: number, kc: number, ap: number, bp: number, c: number, ldc: number, mode: number, tmp: number): void;
  im2col(
    x: number,
    c0: number,
    c1: number,
    H: number,
    W: number,
    KH: number,
    KW: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    OH: number,
    OW: number,
    col: number,
  ): void;
  col2imAdd(
    col: number,
    c0: number,
    c1: number,
    H: number,
    W: number,
    KH: number,
    KW: number,
    sh: number,
    sw: number,
    ph: number,
    pw: number,
    OH: number,
    OW: number,
    x: number,
  ): void;
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
  const ba = p[0],
    ar = p[1],
    ac = p[2],
    bb = p[3],
    br = p[4],
    bc = p[5];
  const transA = p[6] !== 0,
    transB = p[7] !== 0,
    split = p[8];
  const A = p[9],
    B = p[10],
    C = p[11];
  const M = transA ? ac : ar,
    K = transA ? ar : ac,
    N = transB ? br : bc;
  const batch = Math.max(ba, bb);
  const aRs = transA ? 1 : ac,
    aCs = transA ? ac : 1;
  const bRs = transB ? 1 : bc,
    bCs = transB ? bc : 1;
  const t0 = split === 0 ? lo : 0,
    t1 = split === 0 ? hi : batch;
  const m0 = split === 1 ? lo : 0,
    m1 = split === 1 ? hi : M;
  const n0 = split === 2 ? lo : 0,
    n1 = split === 2 ? hi : N;
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

/**
 * conv parts. p = [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split, in0, in1, out, colBase,
 * colBytes, outBytes, bias, relu, AP, mPad] (addresses in bytes): thread t's im2col scratch is colBase +
 * t*colBytes and (backward filter over images) its partial dW is out + t*outBytes. Forward only:
 * bias != 0 is the address of a bias [O] applied (then ReLU when relu != 0) to each image's
 * rows right after its GEMM; AP != 0 is the weights already packed (wPackA, rows padded to mPad). split 0 = images,
 * 1 = channels (forward and filter: output channels; backward input: input channels).
 */
export function wPointwise(p: readonly number[]): boolean {
  return p[5] === 1 && p[6] === 1 && p[7] === 1 && p[8] === 1 && p[9] === 0 && p[10] === 0;
}

/** Forward: in0 = x [N,C,H,W], in1 = w [O,C,KH,KW], out = y [N,O,OH,OW]. */
export function wConvPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const N = p[0],
    C = p[1],
    H = p[2],
    W = p[3],
    O = p[4],
    KK = p[5] * p[6],
    P = p[11] * p[12],
    split = p[13];
  const X = p[14],
    Wt = p[15],
    Y = p[16],
    col = p[17] + ws.t * p[18];
  const CKK = C * KK;
  const n0 = split === 0 ? lo : 0,
    n1 = split === 0 ? hi : N;
  const o0 = split === 1 ? lo : 0,
    o1 = split === 1 ? hi : O;
  const direct = wPointwise(p);
  for (let n = n0; n < n1; n++) {
    const xo = X + n * C * H * W * 4;
    if (!direct) ws.ex.im2col(xo, 0, C, H, W, p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], col);
    if (p[22]) wgemmPackedA(ws, O, P, CKK, p[22], p[23], direct ? xo : col, P, 1, Y + n * O * P * 4, P);
    else wgemm(ws, o1 - o0, P, CKK, Wt + o0 * CKK * 4, CKK, 1, direct ? xo : col, P, 1, Y + (n * O + o0) * P * 4, P, false);
    if (p[20]) ws.ex.biasAct(Y + (n * O + o0) * P * 4, o1 - o0, P, p[20] + o0 * 4, p[21]);
  }
}

/** Backward input: in0 = dy [N,O,OH,OW], in1 = w, out = dx [N,C,H,W]. */
export function wConvBackInputPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const N = p[0],
    C = p[1],
    H = p[2],
    W = p[3],
    O = p[4],
    KK = p[5] * p[6],
    P = p[11] * p[12],
    split = p[13];
  const DY = p[14],
    Wt = p[15],
    DX = p[16],
    col = p[17] + ws.t * p[18];
  const CKK = C * KK;
  const n0 = split === 0 ? lo : 0,
    n1 = split === 0 ? hi : N;
  const c0 = split === 1 ? lo : 0,
    c1 = split === 1 ? hi : C;
  const rows = (c1 - c0) * KK;
  for (let n = n0; n < n1; n++) {
    const dxo = DX + n * C * H * W * 4;
    if (wPointwise(p)) {
      wgemm(ws, rows, P, O, Wt + c0 * 4, 1, CKK, DY + n * O * P * 4, P, 1, dxo + c0 * P * 4, P, false);
      continue;
    }
    wgemm(ws, rows, P, O, Wt + c0 * KK * 4, 1, CKK, DY + n * O * P * 4, P, 1, col, P, false);
    view(ws).fill(0, (dxo >> 2) + c0 * H * W, (dxo >> 2) + c1 * H * W);
    ws.ex.col2imAdd(col, c0, c1, H, W, p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], dxo);
  }
}

/**
 * Backward filter: in0 = x, in1 = dy, out = dW [O,C,KH,KW]. Over images, chunk i writes the sum
 * over its images into its own slot out + i*outBytes, and the caller adds the slots in chunk
 * order: which thread ran which chunk then cannot change a bit of dW (with per-thread slots the
 * rounding depended on how the chunks happened to be shared out: training on two threads was not
 * reproducible under a seed).
 */
export function wConvBackFilterPart(ws: WasmThread, p: readonly number[], lo: number, hi: number, chunk: number): void {
  const N = p[0],
    C = p[1],
    H = p[2],
    W = p[3],
    O = p[4],
    KK = p[5] * p[6],
    P = p[11] * p[12],
    split = p[13];
  const X = p[14],
    DY = p[15],
    col = p[17] + ws.t * p[18];
  const CKK = C * KK;
  const n0 = split === 0 ? lo : 0,
    n1 = split === 0 ? hi : N;
  const o0 = split === 1 ? lo : 0,
    o1 = split === 1 ? hi : O;
  const DW = p[16] + (split === 0 ? chunk * p[19] : 0) + o0 * CKK * 4;
  const direct = wPointwise(p);
  if (n1 <= n0) view(ws).fill(0, DW >> 2, (DW >> 2) + (o1 - o0) * CKK);
  for (let n = n0; n < n1; n++) {
    const xo = X + n * C * H * W * 4;
    if (!direct) ws.ex.im2col(xo, 0, C, H, W, p[5], p[6], p[7], p[8], p[9], p[10], p[11], p[12], col);
    wgemm(ws, o1 - o0, CKK, P, DY + (n * O + o0) * P * 4, P, 1, direct ? xo : col, 1, P, DW, CKK, n > n0);
  }
}

/**
 * 2x2 stride-2 max pool part over planes [lo, hi). p = [backward, H, W, X, DY, OUT] (DY unused
 * forward): forward writes y (OH x OW per plane), backward dx (H x W per plane).
 */
export function wMaxPoolPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const H = p[1],
    W = p[2],
    HW = H * W * 4,
    OHW = (H >> 1) * (W >> 1) * 4;
  if (hi <= lo) return;
  if (p[0] === 0) ws.ex.maxPool2x2(p[3] + lo * HW, hi - lo, H, W, p[5] + lo * OHW);
  else ws.ex.maxPool2x2Back(p[3] + lo * HW, p[4] + lo * OHW, hi - lo, H, W, p[5] + lo * HW);
}

/** One part (chunk number `chunk`) of a job: the workers' entry point, and the calling thread's. */
export function wRunPart(ws: WasmThread, kind: string, p: readonly number[], lo: number, hi: number, chunk: number): void {
  if (kind === 'matmul') wMatmulPart(ws, p, lo, hi);
  else if (kind === 'conv2d') wConvPart(ws, p, lo, hi);
  else if (kind === 'conv2dBackwardInput') wConvBackInputPart(ws, p, lo, hi);
  else if (kind === 'conv2dBackwardFilter') wConvBackFilterPart(ws, p, lo, hi, chunk);
  else if (kind === 'maxPool2x2') wMaxPoolPart(ws, p, lo, hi);
  else if (kind === 'packB') wPackBPart(ws, p, lo, hi);
  else if (kind === 'rowsOnPackedB') wRowsOnPackedBPart(ws, p, lo, hi);
  else throw new Error(`wasm kernels: unknown job ${kind}`);
}

/** Takes chunks [bounds[2i], bounds[2i+1]) off the shared counter until none is left; returns how many it ran. */
export function wRunChunks(ws: WasmThread, kind: string, p: readonly number[], bounds: readonly number[], next: Int32Array): number {
  const n = bounds.length >> 1;
  let done = 0;
  for (let i = Atomics.add(next, 0, 1); i < n; i = Atomics.add(next, 0, 1)) {
    wRunPart(ws, kind, p, bounds[2 * i], bounds[2 * i + 1], i);
    done++;
  }
  return done;
}
