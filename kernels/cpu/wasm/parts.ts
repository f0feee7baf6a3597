/**
 * The convolution and max-pool job parts a thread runs (im2col/col2im are wasm exports), and
 * the dispatch from a job's kind to its part. Like driver.ts, every function is a
 * self-contained `function` declaration the pool's workers rebuild from source.
 */
import { isPointwise, takeChunks } from '../threads/job-split.js';
import { view, wgemm, wgemmPackedA, wMatmulPart, wPackBPart, wRowsOnPackedBPart, type WasmThread } from './driver.js';

/**
 * conv parts. p = [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split, in0, in1, out, colBase,
 * colBytes, outBytes, bias, relu, AP, mPad] (addresses in bytes): thread t's im2col scratch is colBase +
 * t*colBytes and (backward filter over images) its partial dW is out + t*outBytes. Forward only:
 * bias != 0 is the address of a bias [O] applied (then ReLU when relu != 0) to each image's
 * rows right after its GEMM; AP != 0 is the weights already packed (wPackA, rows padded to mPad). split 0 = images,
 * 1 = channels (forward and filter: output channels; backward input: input channels).
 */

/** Forward: in0 = x [N,C,H,W], in1 = w [O,C,KH,KW], out = y [N,O,OH,OW]. */
export function wConvPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const [N, C, H, W, O, KH, KW, , , , , OH, OW, split, X, Wt, Y] = p;
  const P = OH * OW,
    CKK = C * KH * KW,
    col = p[17] + ws.t * p[18];
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [o0, o1] = split === 1 ? [lo, hi] : [0, O];
  const direct = isPointwise(p);
  for (let n = n0; n < n1; n++) {
    const xo = X + n * C * H * W * 4;
    if (!direct) ws.ex.im2col(xo, 0, C, H, W, KH, KW, p[7], p[8], p[9], p[10], OH, OW, col);
    if (p[22]) wgemmPackedA(ws, O, P, CKK, p[22], p[23], direct ? xo : col, P, 1, Y + n * O * P * 4, P);
    else wgemm(ws, o1 - o0, P, CKK, Wt + o0 * CKK * 4, CKK, 1, direct ? xo : col, P, 1, Y + (n * O + o0) * P * 4, P, false);
    if (p[20]) ws.ex.biasAct(Y + (n * O + o0) * P * 4, o1 - o0, P, p[20] + o0 * 4, p[21]);
  }
}

/** Backward input: in0 = dy [N,O,OH,OW], in1 = w, out = dx [N,C,H,W]. */
export function wConvBackInputPart(ws: WasmThread, p: readonly number[], lo: number, hi: number): void {
  const [N, C, H, W, O, KH, KW, , , , , OH, OW, split, DY, Wt, DX] = p;
  const P = OH * OW,
    KK = KH * KW,
    CKK = C * KK,
    col = p[17] + ws.t * p[18];
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [c0, c1] = split === 1 ? [lo, hi] : [0, C];
  const rows = (c1 - c0) * KK;
  for (let n = n0; n < n1; n++) {
    const dxo = DX + n * C * H * W * 4;
    if (isPointwise(p)) {
      wgemm(ws, rows, P, O, Wt + c0 * 4, 1, CKK, DY + n * O * P * 4, P, 1, dxo + c0 * P * 4, P, false);
      continue;
    }
    wgemm(ws, rows, P, O, Wt + c0 * KK * 4, 1, CKK, DY + n * O * P * 4, P, 1, col, P, false);
    view(ws).fill(0, (dxo >> 2) + c0 * H * W, (dxo >> 2) + c1 * H * W);
    ws.ex.col2imAdd(col, c0, c1, H, W, KH, KW, p[7], p[8], p[9], p[10], OH, OW, dxo);
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
  const [N, C, H, W, O, KH, KW, , , , , OH, OW, split, X, DY] = p;
  const P = OH * OW,
    CKK = C * KH * KW,
    col = p[17] + ws.t * p[18];
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [o0, o1] = split === 1 ? [lo, hi] : [0, O];
  const DW = p[16] + (split === 0 ? chunk * p[19] : 0) + o0 * CKK * 4;
  const direct = isPointwise(p);
  if (n1 <= n0) view(ws).fill(0, DW >> 2, (DW >> 2) + (o1 - o0) * CKK);
  for (let n = n0; n < n1; n++) {
    const xo = X + n * C * H * W * 4;
    if (!direct) ws.ex.im2col(xo, 0, C, H, W, KH, KW, p[7], p[8], p[9], p[10], OH, OW, col);
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

/** Takes chunks of a job off the shared counter until none is left; returns how many it ran. */
export function wRunChunks(ws: WasmThread, kind: string, p: readonly number[], bounds: readonly number[], next: Int32Array): number {
  return takeChunks(bounds, next, (lo, hi, i) => wRunPart(ws, kind, p, lo, hi, i));
}
