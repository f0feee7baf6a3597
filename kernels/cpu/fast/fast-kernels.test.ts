/**
 * The fast float32 kernels against the reference kernels (kernels/cpu/reference, run in float64
 * on the same values), on awkward shapes, with 1 and 2 threads, on plain and SharedArrayBuffer
 * arrays. Tolerance: |fast - ref| <= 1e-5 * sqrt(K) * (sum_k |a_ik b_kj| + 1) per element, i.e. a
 * float32 rounding error growing with the reduction length K (the fast path accumulates in
 * float64 inside a KC block, so the observed error is far smaller).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import { refConv2d, refConv2dBackwardFilter, refConv2dBackwardInput, refMatmul, conv2dOutShape } from '../reference/index.js';
import {
  fastConv2d,
  fastConv2dBackwardFilter,
  fastConv2dBackwardInput,
  fastMatmul,
  fastThreads,
  fastThreadsFailure,
  setFastParallelMinFlops,
  setFastThreads,
  splitRange,
} from './index.js';
import { workerSource } from './pool.js';
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';

const rng = Rng.fromSeed(20240607);

const randF32 = (n: number, shared: boolean): Float32Array => {
  const a = shared ? new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4)).subarray(0, n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform() * 2 - 1;
  return a;
};
const out32 = (n: number, shared: boolean): Float32Array => {
  const a = shared ? new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4)).subarray(0, n) : new Float32Array(n);
  return a.fill(Number.NaN); // the kernels must overwrite every cell
};
const f64 = (a: Float32Array) => Float64Array.from(a);
const abs64 = (a: Float32Array) => Float64Array.from(a, Math.abs);

/** Worst |got - want| / (tol * (scale + 1)) over all cells; <= 1 passes. */
const worst = (got: Float32Array, want: ArrayLike<number>, scale: ArrayLike<number>, K: number): number => {
  const tol = 1e-5 * Math.sqrt(Math.max(1, K));
  let w = 0;
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i] - want[i]) / (tol * (Math.abs(scale[i]) + 1));
    if (!(e <= w)) w = Number.isNaN(e) ? Infinity : e;
  }
  return w;
};

const threadCounts = [1, 2];
/** Two threads: split every call, however small, so the parallel paths meet the awkward shapes. */
const useThreads = (n: number) => {
  setFastThreads(n);
  setFastParallelMinFlops(n > 1 ? 0 : undefined);
};
afterAll(() => useThreads(2));

describe('splitRange', () => {
  it('covers [0, n) with aligned, ordered, non-empty parts', () => {
    for (const [n, parts, align] of [
      [10, 2, 4],
      [3, 2, 4],
      [1, 2, 1],
      [64, 2, 1],
      [513, 2, 4],
      [7, 3, 1],
    ]) {
      const r = splitRange(n, parts, align);
      expect(r[0].lo).toBe(0);
      expect(r[r.length - 1].hi).toBe(n);
      for (let i = 0; i < r.length; i++) {
        expect(r[i].hi).toBeGreaterThan(r[i].lo);
        if (i > 0) expect(r[i].lo).toBe(r[i - 1].hi);
        if (i < r.length - 1) expect(r[i].hi % align).toBe(0);
      }
    }
  });
});

describe('worker pool', () => {
  it('builds a worker source without module-transform references and starts under vitest', () => {
    expect(workerSource()).not.toMatch(/__\w*import\w*__/);
    setFastThreads(2);
    expect(fastThreads(), fastThreadsFailure()).toBe(2);
  });
});

type MM = [ba: number, bb: number, M: number, K: number, N: number, tA: boolean, tB: boolean];
const matmulCases: MM[] = [
  [1, 1, 1, 1, 1, false, false],
  [1, 1, 5, 7, 3, false, false],
  [1, 1, 4, 4, 4, true, false],
  [1, 1, 67, 130, 45, false, true],
  [1, 1, 45, 300, 67, true, true],
  [3, 3, 9, 17, 10, false, false],
  [3, 1, 33, 20, 18, true, false], // B broadcast
  [1, 4, 6, 21, 35, false, true], // A broadcast
  [2, 2, 130, 70, 129, false, false], // big enough for two threads, batch split
  [1, 1, 200, 257, 150, true, true], // row split, K spans two KC blocks
  [1, 1, 16, 300, 1100, false, false], // column split, N spans two NC blocks
  [1, 1, 1, 513, 1, false, false],
  [9, 1, 20, 30, 17, true, false], // many batch chunks shared dynamically
  [2, 2, 0, 3, 4, false, false],
  [1, 1, 3, 0, 4, false, false], // K = 0: zeros
];

describe('fastMatmul', () => {
  for (const threads of threadCounts)
    for (const shared of [false, true])
      for (const [ba, bb, M, K, N, tA, tB] of matmulCases) {
        it(`${threads} thread(s) ${shared ? 'shared' : 'plain'} [${ba}|${bb}] ${M}x${K}x${N}${tA ? ' tA' : ''}${tB ? ' tB' : ''}`, () => {
          useThreads(threads);
          const aShape = (tA ? [ba, K, M] : [ba, M, K]) as [number, number, number];
          const bShape = (tB ? [bb, N, K] : [bb, K, N]) as [number, number, number];
          const a = randF32(ba * M * K, shared);
          const b = randF32(bb * K * N, shared);
          const out = out32(Math.max(ba, bb) * M * N, shared);
          fastMatmul(a, aShape, b, bShape, tA, tB, out);
          const want = refMatmul(f64(a), aShape, f64(b), bShape, tA, tB);
          const scale = refMatmul(abs64(a), aShape, abs64(b), bShape, tA, tB);
          expect(worst(out, want, scale, K)).toBeLessThanOrEqual(1);
        });
      }
});

type CV = [N: number, C: number, H: number, W: number, O: number, KH: number, KW: number, sh: number, sw: number, ph: number, pw: number];
const convCases: CV[] = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
  [2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1],
  [1, 2, 9, 8, 3, 3, 2, 2, 2, 0, 1], // non-square kernel, stride 2
  [3, 4, 6, 7, 5, 2, 3, 2, 1, 2, 2], // pad 2
  [2, 5, 8, 8, 6, 1, 1, 1, 1, 0, 0], // pointwise fast path
  [2, 3, 8, 8, 2, 1, 1, 2, 2, 0, 0], // 1x1 stride 2 (not pointwise)
  [1, 3, 5, 5, 2, 5, 5, 1, 1, 0, 0], // kernel = image
  [4, 16, 12, 12, 24, 3, 3, 1, 1, 1, 1], // big enough for two threads, split over images
  [1, 24, 13, 11, 20, 3, 3, 2, 2, 1, 1], // one image: split over channels
  [1, 32, 10, 10, 16, 1, 1, 1, 1, 0, 0], // one image, pointwise, channel split
  [3, 20, 10, 10, 18, 3, 3, 1, 1, 0, 0], // odd image count over two threads
  [9, 4, 6, 6, 3, 3, 3, 1, 1, 1, 1], // several image chunks per thread (backward filter sums partials)
];

describe('fastConv2d and its backward passes', () => {
  for (const threads of threadCounts)
    for (const shared of [false, true])
      for (const [N, C, H, W, O, KH, KW, sh, sw, ph, pw] of convCases) {
        const attrs: Conv2dAttrs = { stride: [sh, sw], pad: [ph, pw] };
        const name = `${threads} thread(s) ${shared ? 'shared' : 'plain'} x[${N},${C},${H},${W}] w[${O},${C},${KH},${KW}] s${sh},${sw} p${ph},${pw}`;
        it(name, () => {
          useThreads(threads);
          const xShape = [N, C, H, W];
          const wShape = [O, C, KH, KW];
          const yShape = conv2dOutShape(xShape, wShape, attrs);
          const ySize = yShape.reduce((s, d) => s * d, 1);
          const x = randF32(N * C * H * W, shared);
          const w = randF32(O * C * KH * KW, shared);
          const dy = randF32(ySize, shared);

          const y = out32(ySize, shared);
          fastConv2d(x, xShape, w, wShape, attrs, y);
          const yWant = refConv2d(f64(x), xShape, f64(w), wShape, attrs);
          const yScale = refConv2d(abs64(x), xShape, abs64(w), wShape, attrs);
          expect(worst(y, yWant, yScale, C * KH * KW), 'forward').toBeLessThanOrEqual(1);

          const dx = out32(x.length, shared);
          fastConv2dBackwardInput(dy, yShape, w, wShape, xShape, attrs, dx);
          const dxWant = refConv2dBackwardInput(f64(dy), yShape, f64(w), wShape, xShape, attrs);
          const dxScale = refConv2dBackwardInput(abs64(dy), yShape, abs64(w), wShape, xShape, attrs);
          expect(worst(dx, dxWant, dxScale, O * KH * KW), 'backward input').toBeLessThanOrEqual(1);

          const dw = out32(w.length, shared);
          fastConv2dBackwardFilter(x, xShape, dy, yShape, wShape, attrs, dw);
          const dwWant = refConv2dBackwardFilter(f64(x), xShape, f64(dy), yShape, wShape, attrs);
          const dwScale = refConv2dBackwardFilter(abs64(x), xShape, abs64(dy), yShape, wShape, attrs);
          expect(worst(dw, dwWant, dwScale, N * yShape[2] * yShape[3]), 'backward filter').toBeLessThanOrEqual(1);
        });
      }
});

describe('views at an offset into one SharedArrayBuffer', () => {
  it('matmul and conv on two threads read and write only their own windows', () => {
    useThreads(2);
    const sab = new Float32Array(new SharedArrayBuffer(4 * 20000)).fill(7);
    const a = sab.subarray(3, 3 + 30 * 40);
    const b = sab.subarray(5000, 5000 + 40 * 50);
    const out = sab.subarray(9001, 9001 + 30 * 50);
    for (let i = 0; i < a.length; i++) a[i] = rng.uniform() - 0.5;
    for (let i = 0; i < b.length; i++) b[i] = rng.uniform() - 0.5;
    fastMatmul(a, [1, 30, 40], b, [1, 40, 50], false, false, out);
    const want = refMatmul(f64(a), [1, 30, 40], f64(b), [1, 40, 50], false, false);
    const scale = refMatmul(abs64(a), [1, 30, 40], abs64(b), [1, 40, 50], false, false);
    expect(worst(out, want, scale, 40)).toBeLessThanOrEqual(1);
    expect(sab[9000]).toBe(7);
    expect(sab[9001 + 30 * 50]).toBe(7);
  });
});

describe('inputs are left untouched', () => {
  it('on two threads with plain arrays', () => {
    setFastThreads(2);
    const a = randF32(128 * 128, false);
    const copy = a.slice();
    const out = out32(128 * 128, false);
    fastMatmul(a, [1, 128, 128], a, [1, 128, 128], false, true, out);
    expect(a).toEqual(copy);
  });
});
