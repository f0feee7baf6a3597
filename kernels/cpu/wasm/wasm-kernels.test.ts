/**
 * The WebAssembly SIMD kernels against the reference kernels (run in float64 on the same float32
 * values) on awkward shapes: sizes that are not multiples of the 4x8 tile or of the cache
 * blocks, 1-sized and empty dims, every transpose, batch broadcast, strided and pointwise
 * convolutions; on one thread and on two with every call split (rows, columns, batches,
 * images, channels). Tolerance as the fast kernels' tests: a float32 rounding error growing
 * with the reduction length K, relative to sum_k |a_ik b_kj|.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
import { Rng } from '../../../lib/rng/rng.js';
import {
  conv2dOutShape,
  refConv2d,
  refConv2dBackwardFilter,
  refConv2dBackwardInput,
  refMatmul,
  refMaxPool2d,
  refMaxPool2dBackward,
  applyBiasAct,
} from '../reference/index.js';
import { setFastThreads } from '../fast/index.js';
import { wasmApi } from './api.js';
import { buildGemmModule } from './gemm-module.js';
import { sleb, uleb } from './emitter.js';
import { relaxedSimdAvailable, simdAvailable } from './probe.js';
import { wasmWorkerSource } from './pool.js';
import { grow, WasmCapacityError, wasmRuntime } from './runtime.js';
import {
  setWasmParallelMinFlops,
  setWasmThreads,
  splitBounds,
  wasmConv2d,
  wasmConv2dBackwardFilter,
  wasmConv2dBackwardInput,
  wasmFailure,
  wasmKernelInfo,
  wasmKernelsAvailable,
  wasmMatmul,
  wasmMaxPool2x2,
  wasmOffReason,
} from './index.js';

const rng = Rng.fromSeed(5005);
const rand = (n: number): Float32Array => {
  const a = new Float32Array(new SharedArrayBuffer(Math.max(1, n) * 4)).subarray(0, n);
  rng.fillUniform(a, -1, 1);
  return a;
};
const nan = (n: number) => new Float32Array(n).fill(Number.NaN); // every cell must be written
const f64 = (a: Float32Array) => Float64Array.from(a);
const abs64 = (a: Float32Array) => Float64Array.from(a, Math.abs);

/** Worst |got - want| / (tol * (scale + 1)); <= 1 passes. */
const worst = (got: Float32Array, want: ArrayLike<number>, scale: ArrayLike<number>, K: number): number => {
  const tol = 2e-6 * Math.sqrt(Math.max(1, K));
  expect(got.length).toBe(want.length);
  let w = 0;
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i] - want[i]) / (tol * (Math.abs(scale[i]) + 1));
    if (!(e <= w)) w = Number.isNaN(e) ? Infinity : e;
  }
  return w;
};

type S3 = [number, number, number];
const MATMULS: Array<{ a: S3; b: S3; tA: boolean; tB: boolean }> = [];
for (const [m, k, n] of [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [4, 8, 8],
  [9, 1, 17],
  [17, 300, 9],
  [130, 257, 33],
  [5, 0, 3],
  [33, 70, 2100],
  [260, 40, 12],
]) {
  for (const tA of [false, true]) for (const tB of [false, true]) MATMULS.push({ a: [1, tA ? k : m, tA ? m : k], b: [1, tB ? n : k, tB ? k : n], tA, tB });
}
MATMULS.push(
  { a: [3, 5, 6], b: [1, 6, 7], tA: false, tB: false },
  { a: [1, 6, 5], b: [3, 6, 7], tA: true, tB: false },
  { a: [2, 5, 6], b: [2, 7, 6], tA: false, tB: true },
  { a: [5, 13, 9], b: [5, 9, 11], tA: false, tB: false },
  { a: [4, 1, 64], b: [4, 64, 1], tA: false, tB: false },
);

const checkMatmul = ({ a: as, b: bs, tA, tB }: (typeof MATMULS)[number]): void => {
  const a = rand(as[0] * as[1] * as[2]),
    b = rand(bs[0] * bs[1] * bs[2]);
  const M = tA ? as[2] : as[1],
    K = tA ? as[1] : as[2],
    N = tB ? bs[1] : bs[2];
  const out = nan(Math.max(as[0], bs[0]) * M * N);
  wasmMatmul(a, as, b, bs, tA, tB, out);
  const want = refMatmul(f64(a), as, f64(b), bs, tA, tB);
  const scale = refMatmul(abs64(a), as, abs64(b), bs, tA, tB);
  expect(worst(out, want, scale, K), `${as} x ${bs} tA=${tA} tB=${tB}`).toBeLessThanOrEqual(1);
};

const CONVS: Array<{ x: number[]; w: number[]; a: Conv2dAttrs }> = [
  { x: [2, 3, 7, 6], w: [4, 3, 3, 2], a: { stride: [2, 1], pad: [1, 0] } },
  { x: [1, 1, 5, 5], w: [1, 1, 5, 5], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [3, 2, 4, 4], w: [5, 2, 1, 1], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [1, 2, 6, 5], w: [3, 2, 3, 3], a: { stride: [2, 2], pad: [1, 1] } },
  { x: [5, 9, 11, 10], w: [13, 9, 3, 3], a: { stride: [1, 1], pad: [1, 1] } },
  { x: [1, 6, 9, 9], w: [7, 6, 3, 3], a: { stride: [2, 2], pad: [2, 2] } },
  { x: [4, 16, 8, 8], w: [24, 16, 1, 1], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [2, 4, 12, 12], w: [6, 4, 5, 5], a: { stride: [3, 2], pad: [2, 1] } },
  // output rows of 16 and 24: whole 8-column panels in one row (im2colPacked's contiguous copies) next to padded edges
  { x: [2, 3, 16, 16], w: [5, 3, 5, 5], a: { stride: [1, 1], pad: [2, 2] } },
  { x: [1, 4, 9, 24], w: [3, 4, 3, 3], a: { stride: [2, 1], pad: [1, 1] } },
];

const checkConv = ({ x: xs, w: ws, a }: (typeof CONVS)[number]): void => {
  const ys = conv2dOutShape(xs, ws, a);
  const n = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);
  const x = rand(n(xs)),
    w = rand(n(ws)),
    dy = rand(n(ys));
  const K = ws[1] * ws[2] * ws[3];
  const label = `x ${xs} w ${ws} stride ${a.stride} pad ${a.pad}`;
  const y = nan(n(ys));
  wasmConv2d(x, xs, w, ws, a, y);
  expect(worst(y, refConv2d(f64(x), xs, f64(w), ws, a), refConv2d(abs64(x), xs, abs64(w), ws, a), K), `forward ${label}`).toBeLessThanOrEqual(1);
  // the fused epilogue: the same GEMM result, then bias and ReLU exactly as the reference applies them
  const bias = rand(ws[0]);
  for (const relu of [false, true]) {
    const fused = nan(n(ys));
    wasmConv2d(x, xs, w, ws, a, fused, { bias, relu });
    const want = Float32Array.from(y);
    applyBiasAct(want, ws[0], ys[2] * ys[3], bias, relu ? 'relu' : 'none');
    sameBits(fused, want, `fused bias${relu ? ' + relu' : ''} ${label}`);
  }
  const dx = nan(n(xs));
  wasmConv2dBackwardInput(dy, w, ws, xs, a, dx);
  const dxWant = refConv2dBackwardInput(f64(dy), ys, f64(w), ws, xs, a);
  const dxScale = refConv2dBackwardInput(abs64(dy), ys, abs64(w), ws, xs, a);
  expect(worst(dx, dxWant, dxScale, ws[0] * ws[2] * ws[3]), `backward input ${label}`).toBeLessThanOrEqual(1);
  const dw = nan(n(ws));
  wasmConv2dBackwardFilter(x, xs, dy, ws, a, dw);
  const dwWant = refConv2dBackwardFilter(f64(x), xs, f64(dy), ys, ws, a);
  const dwScale = refConv2dBackwardFilter(abs64(x), xs, abs64(dy), ys, ws, a);
  expect(worst(dw, dwWant, dwScale, xs[0] * ys[2] * ys[3]), `backward filter ${label}`).toBeLessThanOrEqual(1);
};

const POOLS: number[][] = [
  [1, 1, 2, 2],
  [2, 3, 7, 5],
  [1, 2, 8, 8],
  [3, 2, 9, 19],
  [2, 4, 16, 16],
  [1, 1, 3, 1],
  [2, 5, 6, 34],
];

/** Whole-value equality that also tells -0 from +0 and accepts NaN for NaN. */
const sameBits = (got: Float32Array, want: ArrayLike<number>, label: string): void => {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const ok = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
    if (!ok) expect(`${label} [${i}]: ${got[i]}`).toBe(`${label} [${i}]: ${want[i]}`);
  }
};

const checkMaxPool = (xs: number[]): void => {
  const attrs = { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } as const;
  const n = xs.reduce((p, q) => p * q, 1);
  const x = rand(n);
  // small integers make ties; sprinkle signed zeros and NaNs (some windows all-NaN)
  for (let i = 0; i < n; i++) x[i] = Math.round(x[i] * 2);
  for (let i = 0; i < n; i += 7) x[i] = i % 2 ? -0 : 0;
  for (let i = 3; i < n; i += 11) x[i] = Number.NaN;
  const ys = [xs[0], xs[1], xs[2] >> 1, xs[3] >> 1];
  const m = ys.reduce((p, q) => p * q, 1);
  const y = nan(m);
  expect(wasmMaxPool2x2(x, xs, null, y)).toBe(true);
  sameBits(y, refMaxPool2d(f64(x), xs, attrs), `forward ${xs}`);
  const dy = rand(m);
  for (let i = 0; i < m; i += 5) dy[i] = -0;
  const dx = nan(n);
  expect(wasmMaxPool2x2(x, xs, dy, dx)).toBe(true);
  sameBits(dx, refMaxPool2dBackward(f64(x), xs, f64(dy), ys, attrs), `backward ${xs}`);
};

describe('wasm emitter', () => {
  it('encodes LEB128 as the spec does', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });
  it('emits GEMM modules that validate, for several register tiles', () => {
    for (const [MR, NR, unroll] of [
      [4, 8, 1],
      [6, 8, 2],
      [4, 16, 4],
      [3, 12, 1],
    ]) {
      const bytes = buildGemmModule({ MR, NR, unroll, relaxed: false }, { initial: 1, maximum: 16, shared: true });
      expect(wasmApi?.validate(bytes), `${MR}x${NR} unroll ${unroll}`).toBe(true);
    }
    expect(simdAvailable()).toBe(true);
    expect(typeof relaxedSimdAvailable()).toBe('boolean');
  });
});

describe('wasm kernels vs reference', () => {
  beforeAll(() => {
    expect(wasmKernelsAvailable(), wasmFailure()).toBe(true);
  });
  afterAll(() => {
    setWasmThreads();
    setWasmParallelMinFlops();
  });

  for (const threads of [1, 2]) {
    describe(`${threads} thread${threads === 1 ? '' : 's'}${threads > 1 ? ', every call split' : ''}`, () => {
      beforeAll(() => {
        setWasmThreads(threads);
        setWasmParallelMinFlops(threads > 1 ? 0 : Number.POSITIVE_INFINITY);
      });
      it('matmul: awkward shapes, transposes, batch broadcast, K = 0', () => {
        for (const c of MATMULS) checkMatmul(c);
      });
      it('conv2d forward and both backward passes', () => {
        for (const c of CONVS) checkConv(c);
      });
      if (threads > 1) {
        it('backward filter split over images is reproducible bit for bit (partials added in chunk order)', () => {
          const xs = [16, 8, 9, 9],
            ws = [6, 8, 3, 3],
            a: Conv2dAttrs = { stride: [1, 1], pad: [1, 1] };
          const x = rand(xs.reduce((p, q) => p * q, 1)),
            dy = rand(16 * 6 * 9 * 9);
          const first = nan(6 * 8 * 9);
          wasmConv2dBackwardFilter(x, xs, dy, ws, a, first);
          for (let r = 0; r < 6; r++) {
            const again = nan(first.length);
            wasmConv2dBackwardFilter(x, xs, dy, ws, a, again);
            sameBits(again, first, `run ${r}`);
          }
        });
      }
      it('2x2 max pool forward and backward: bit for bit, ties, signed zeros, NaN, odd sizes', () => {
        for (const c of POOLS) checkMaxPool(c);
      });
      it('a large matmul after the memory grew (workers see the grown memory)', () => {
        checkMatmul({ a: [1, 150, 600], b: [1, 600, 260], tA: false, tB: false });
        checkMatmul({ a: [1, 3, 5], b: [1, 5, 2], tA: false, tB: false });
        checkMatmul({ a: [2, 520, 140], b: [1, 520, 200], tA: true, tB: false });
      });
    });
  }

  it('reports what it runs, and the chunks cover the axis', () => {
    setWasmThreads(2);
    expect(wasmKernelInfo()).toMatch(/^wasm-simd128(-relaxed)? 4x8 \(2 threads\)$/);
    expect(splitBounds(10, 3, 4)).toEqual([0, 4, 4, 8, 8, 10]);
    expect(splitBounds(3, 4, 1)).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('a call beyond the memory maximum is refused with WasmCapacityError (the caller falls back)', () => {
    const rt = wasmRuntime();
    expect(rt).not.toBeNull();
    expect(() => grow(rt!.memory, 3 * 2 ** 30)).toThrow(WasmCapacityError);
  });

  it('the worker source is plain JavaScript', () => {
    expect(() => new Function(wasmWorkerSource())).not.toThrow();
  });
});

describe('fallback switch', () => {
  const saved = process.env.ELIM_WASM;
  afterAll(() => {
    if (saved === undefined) delete process.env.ELIM_WASM;
    else process.env.ELIM_WASM = saved;
    setFastThreads(2);
  });
  it('ELIM_WASM=0 turns the kernels off with a reason, read per call', () => {
    process.env.ELIM_WASM = '0';
    expect(wasmOffReason()).toMatch(/ELIM_WASM=0/);
    delete process.env.ELIM_WASM;
    expect(wasmOffReason()).toBe('');
  });
});
