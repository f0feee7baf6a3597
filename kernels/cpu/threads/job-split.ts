/**
 * What both kernel pools (../fast, ../wasm) share about running a job in chunks: the chunk loop,
 * the matmul split and the pointwise-convolution test. The calling thread and each worker run these (workers rebuild them from
 * their source text), so each is a self-contained `function` declaration.
 */

/**
 * Runs chunks [bounds[2i], bounds[2i+1]) taken one at a time from the shared counter `next`
 * (Atomics.add), so a thread the OS slows down simply takes fewer chunks; `part(lo, hi, i)` runs
 * chunk i. Returns how many chunks this thread ran.
 */
export function takeChunks(bounds: readonly number[], next: Int32Array, part: (lo: number, hi: number, chunk: number) => void): number {
  const n = bounds.length >> 1;
  let done = 0;
  for (let i = Atomics.add(next, 0, 1); i < n; i = Atomics.add(next, 0, 1)) {
    part(bounds[2 * i], bounds[2 * i + 1], i);
    done++;
  }
  return done;
}

/** A matmul chunk's shape: C[M,N] = op(A)·op(B) per batch t in [t0, t1), over C rows [m0, m1) and columns [n0, n1). */
export interface MatmulSplit {
  readonly M: number;
  readonly K: number;
  readonly N: number;
  /** Element strides of op(A) and op(B) (transposes are strides). */
  readonly aRs: number;
  readonly aCs: number;
  readonly bRs: number;
  readonly bCs: number;
  readonly t0: number;
  readonly t1: number;
  readonly m0: number;
  readonly m1: number;
  readonly n0: number;
  readonly n1: number;
}

/**
 * p = [ba, ar, ac, bb, br, bc, transA, transB, split, ...] (A [ba, ar, ac], B [bb, br, bc]);
 * split 0 = batches, 1 = rows of C, 2 = columns of C; [lo, hi) is a range of the split axis.
 */
export function matmulSplit(p: readonly number[], lo: number, hi: number): MatmulSplit {
  const [ba, ar, ac, bb, br, bc, tA, tB, split] = p;
  const transA = tA !== 0,
    transB = tB !== 0;
  const M = transA ? ac : ar,
    N = transB ? br : bc;
  const [t0, t1] = split === 0 ? [lo, hi] : [0, Math.max(ba, bb)];
  const [m0, m1] = split === 1 ? [lo, hi] : [0, M];
  const [n0, n1] = split === 2 ? [lo, hi] : [0, N];
  return { M, K: transA ? ar : ac, N, aRs: transA ? 1 : ac, aCs: transA ? ac : 1, bRs: transB ? 1 : bc, bCs: transB ? bc : 1, t0, t1, m0, m1, n0, n1 };
}

/** Convolution jobs' p = [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split, ...]: 1x1 kernel, stride 1, no padding (the image itself is the column matrix). */
export function isPointwise(p: readonly number[]): boolean {
  return p[5] === 1 && p[6] === 1 && p[7] === 1 && p[8] === 1 && p[9] === 0 && p[10] === 0;
}
