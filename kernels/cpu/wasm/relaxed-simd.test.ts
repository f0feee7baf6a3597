/**
 * The relaxed-SIMD GEMM (f32x4.relaxed_madd), as the `elim` CLI and the benchmarks run it on
 * Node 20 after enableRelaxedSimd(): matmul and convolutions against the reference. This file
 * runs in its own process (vitest forks), so the process-wide V8 flag touches no other test.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import { conv2dOutShape, refConv2d, refConv2dBackwardFilter, refConv2dBackwardInput, refMatmul } from '../reference/index.js';
import { enableRelaxedSimd } from './relaxed-flag.js';
import { setWasmParallelMinFlops, setWasmThreads, wasmConv2d, wasmConv2dBackwardFilter, wasmConv2dBackwardInput, wasmKernelInfo, wasmMatmul } from './index.js';

const status = enableRelaxedSimd(); // before the runtime compiles its module
const rng = Rng.fromSeed(77);
const rand = (n: number) => {
  const a = new Float32Array(n);
  rng.fillUniform(a, -1, 1);
  return a;
};
const size = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

/** Worst |got - want| over 1e-5 * (sum of |terms| + 1): within float32 rounding of a K-term sum. */
const worst = (got: Float32Array, want: ArrayLike<number>, scale: ArrayLike<number>): number => {
  let w = 0;
  for (let i = 0; i < got.length; i++) w = Math.max(w, Math.abs(got[i] - want[i]) / (1e-5 * (Math.abs(scale[i]) + 1)));
  return w;
};
const abs = (a: Float32Array) => Float64Array.from(a, Math.abs);

describe('relaxed SIMD GEMM (CLI and benchmarks on Node 20)', () => {
  it('is switched on by enableRelaxedSimd and reported in the kernel class', () => {
    expect(status).toMatch(/relaxed SIMD (enabled|available)/);
    expect(wasmKernelInfo()).toMatch(/^wasm-simd128-relaxed 4x8/);
  });

  for (const threads of [1, 2]) {
    it(`matmul and convolutions equal the reference (${threads} thread${threads > 1 ? 's, every call split' : ''})`, () => {
      setWasmThreads(threads);
      setWasmParallelMinFlops(threads > 1 ? 0 : Number.POSITIVE_INFINITY);
      try {
        for (const [m, k, n] of [
          [1, 1, 1],
          [7, 300, 9],
          [130, 257, 33],
          [64, 64, 520],
        ]) {
          const a = rand(m * k),
            b = rand(k * n),
            out = new Float32Array(m * n).fill(Number.NaN);
          wasmMatmul(a, [1, m, k], b, [1, k, n], false, false, out);
          const want = refMatmul(Float64Array.from(a), [1, m, k], Float64Array.from(b), [1, k, n], false, false);
          expect(worst(out, want, refMatmul(abs(a), [1, m, k], abs(b), [1, k, n], false, false)), `${m}x${k}x${n}`).toBeLessThanOrEqual(1);
        }
        for (const [xs, ws, pad] of [
          [[3, 4, 9, 16], [6, 4, 3, 3], 1],
          [[2, 3, 16, 16], [5, 3, 5, 5], 2],
        ] as const) {
          const a = { stride: [1, 1], pad: [pad, pad] } as const;
          const ys = conv2dOutShape(xs, ws, a);
          const x = rand(size(xs)),
            w = rand(size(ws)),
            dy = rand(size(ys));
          const y = new Float32Array(size(ys)),
            dx = new Float32Array(size(xs)),
            dw = new Float32Array(size(ws));
          wasmConv2d(x, xs, w, ws, a, y);
          wasmConv2dBackwardInput(dy, w, ws, xs, a, dx);
          wasmConv2dBackwardFilter(x, xs, dy, ws, a, dw);
          const f = (v: Float32Array) => Float64Array.from(v);
          expect(worst(y, refConv2d(f(x), xs, f(w), ws, a), refConv2d(abs(x), xs, abs(w), ws, a)), `forward ${xs}`).toBeLessThanOrEqual(1);
          expect(
            worst(dx, refConv2dBackwardInput(f(dy), ys, f(w), ws, xs, a), refConv2dBackwardInput(abs(dy), ys, abs(w), ws, xs, a)),
            `dx ${xs}`,
          ).toBeLessThanOrEqual(1);
          expect(
            worst(dw, refConv2dBackwardFilter(f(x), xs, f(dy), ys, ws, a), refConv2dBackwardFilter(abs(x), xs, abs(dy), ys, ws, a)),
            `dw ${xs}`,
          ).toBeLessThanOrEqual(1);
        }
      } finally {
        setWasmThreads();
        setWasmParallelMinFlops();
      }
    });
  }
});
