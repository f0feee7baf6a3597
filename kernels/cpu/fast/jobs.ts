/**
 * The work a thread can be given: a kernel name, its float32 arrays, its integer parameters and
 * a range [lo, hi) of the split axis. The calling thread and the pool's worker run the same
 * functions (the worker rebuilds them from source), so each part only writes its own share of
 * the output.
 *
 * Integer parameters:
 *  - matmul: [ba, ar, ac, bb, br, bc, transA, transB, split]; split 0 = batches, 1 = rows of C,
 *    2 = columns of C (ranges of the split axis).
 *  - conv2d*: [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split]; split 0 = images,
 *    1 = channels (forward: output channels; backward input: input channels; backward filter:
 *    output channels, i.e. rows of dW).
 *
 * Self-contained `function` declarations only.
 */
import { gemm, type FastScratch } from './gemm.js';
import { im2col, col2imAdd } from './conv.js';
import { isPointwise, matmulSplit, takeChunks } from '../threads/job-split.js';

export type JobKind = 'matmul' | 'conv2d' | 'conv2dBackwardInput' | 'conv2dBackwardFilter';

/** arrs = [a, b, out]. */
export function matmulPart(arrs: Float32Array[], p: readonly number[], lo: number, hi: number, ws: FastScratch): void {
  const [a, b, out] = arrs;
  const [ba, ar, ac, bb, br, bc] = p;
  const { M, K, N, aRs, aCs, bRs, bCs, t0, t1, m0, m1, n0, n1 } = matmulSplit(p, lo, hi);
  for (let t = t0; t < t1; t++) {
    const ao = (ba === 1 ? 0 : t) * ar * ac + m0 * aRs;
    const bo = (bb === 1 ? 0 : t) * br * bc + n0 * bCs;
    const co = t * M * N + m0 * N + n0;
    gemm(m1 - m0, n1 - n0, K, a, ao, aRs, aCs, b, bo, bRs, bCs, out, co, N, false, ws);
  }
}

/** Grows (never shrinks) the im2col scratch of `ws`. */
export function scratchCol(ws: FastScratch, n: number): Float32Array {
  if (ws.col.length < n) ws.col = new Float32Array(Math.max(n, Math.ceil(ws.col.length * 1.5)));
  return ws.col;
}

/** arrs = [x, w, out]. */
export function conv2dPart(arrs: Float32Array[], p: readonly number[], lo: number, hi: number, ws: FastScratch): void {
  const [x, w, out] = arrs;
  const [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split] = p;
  const P = OH * OW,
    CKK = C * KH * KW;
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [o0, o1] = split === 1 ? [lo, hi] : [0, O];
  const direct = isPointwise(p);
  const col = direct ? x : scratchCol(ws, CKK * P);
  for (let n = n0; n < n1; n++) {
    if (!direct) im2col(x, n * C * H * W, H, W, KH, KW, sh, sw, ph, pw, OH, OW, 0, C, col);
    const colOff = direct ? n * C * H * W : 0;
    gemm(o1 - o0, P, CKK, w, o0 * CKK, CKK, 1, col, colOff, P, 1, out, (n * O + o0) * P, P, false, ws);
  }
}

/** arrs = [dy, w, dx]. */
export function conv2dBackwardInputPart(arrs: Float32Array[], p: readonly number[], lo: number, hi: number, ws: FastScratch): void {
  const [dy, w, dx] = arrs;
  const [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split] = p;
  const P = OH * OW,
    KK = KH * KW,
    CKK = C * KK;
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [c0, c1] = split === 1 ? [lo, hi] : [0, C];
  const rows = (c1 - c0) * KK;
  if (isPointwise(p)) {
    for (let n = n0; n < n1; n++) gemm(rows, P, O, w, c0, 1, CKK, dy, n * O * P, P, 1, dx, (n * C + c0) * H * W, P, false, ws);
    return;
  }
  const col = scratchCol(ws, rows * P);
  for (let n = n0; n < n1; n++) {
    gemm(rows, P, O, w, c0 * KK, 1, CKK, dy, n * O * P, P, 1, col, 0, P, false, ws);
    dx.fill(0, (n * C + c0) * H * W, (n * C + c1) * H * W);
    col2imAdd(col, dx, n * C * H * W, H, W, KH, KW, sh, sw, ph, pw, OH, OW, c0, c1);
  }
}

/**
 * arrs = [x, dy, dw]; writes dw rows [o0, o1) as the sum over images [n0, n1). Split over images
 * only on one thread (one chunk, every image); across threads the split is over output channels,
 * so each chunk owns its rows (see fastConv2dBackwardFilter).
 */
export function conv2dBackwardFilterPart(arrs: Float32Array[], p: readonly number[], lo: number, hi: number, ws: FastScratch): void {
  const [x, dy, dw] = arrs;
  const [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split] = p;
  const P = OH * OW,
    CKK = C * KH * KW;
  const [n0, n1] = split === 0 ? [lo, hi] : [0, N];
  const [o0, o1] = split === 1 ? [lo, hi] : [0, O];
  const direct = isPointwise(p);
  const col = direct ? x : scratchCol(ws, CKK * P);
  if (n1 <= n0) {
    dw.fill(0, o0 * CKK, o1 * CKK);
    return;
  }
  for (let n = n0; n < n1; n++) {
    if (!direct) im2col(x, n * C * H * W, H, W, KH, KW, sh, sw, ph, pw, OH, OW, 0, C, col);
    const colOff = direct ? n * C * H * W : 0;
    gemm(o1 - o0, CKK, P, dy, (n * O + o0) * P, P, 1, col, colOff, 1, P, dw, o0 * CKK, CKK, n > n0, ws);
  }
}

/** Runs one part of a job (the worker's entry point, and the calling thread's); parts own disjoint output cells. */
export function runPart(kind: string, arrs: Float32Array[], p: readonly number[], lo: number, hi: number, ws: FastScratch): void {
  if (kind === 'matmul') matmulPart(arrs, p, lo, hi, ws);
  else if (kind === 'conv2d') conv2dPart(arrs, p, lo, hi, ws);
  else if (kind === 'conv2dBackwardInput') conv2dBackwardInputPart(arrs, p, lo, hi, ws);
  else if (kind === 'conv2dBackwardFilter') conv2dBackwardFilterPart(arrs, p, lo, hi, ws);
  else throw new Error(`fast kernels: unknown job ${kind}`);
}

/** Takes chunks of a job off the shared counter until none is left (../threads/chunks.ts); returns how many it ran. */
export function runChunks(kind: string, arrs: Float32Array[], p: readonly number[], bounds: readonly number[], next: Int32Array, ws: FastScratch): number {
  return takeChunks(bounds, next, (lo, hi) => runPart(kind, arrs, p, lo, hi, ws));
}
