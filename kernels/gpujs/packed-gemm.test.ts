/**
 * The packed, tiled GEMM path of the gpujs backend (packed-gemm.ts, conv2d-packed.ts: 4x4 blocks per thread, written through a
 * four-output kernel map), on GL:
 *   - the whole conformance suite on a backend with packedGemm 'always', so matmul (all four
 *     transpose cases, broadcast batches, odd sizes) and the three convolutions (strides, pads,
 *     1x1 and 5x5 filters) and the fused conv2dBiasAct take the packed path at the suite's shapes;
 *   - shapes big enough that the default ('auto') backend takes it by itself, including a
 *     split-K backward-filter and an odd-sized matmul, against the reference kernels.
 * float32 tolerance: 1e-4 scaled (the suite's); the larger products here sum up to 1152 terms
 * in float32 on the GPU (the reference sums in float64); 2e-5 scaled covers that rounding.
 * Skipped (with the reason printed) off GL: the packed path is GL-only.
 */
import { describe, it, vi } from 'vitest';
import { describeBackendConformance } from '../conformance/backend.test-helpers.js';
import { expectClose } from '../conformance/compare.test-helpers.js';
import * as ref from '../cpu/reference/index.js';
import { Rng } from '../../lib/rng/rng.js';
import type { Conv2dAttrs } from '../../lib/backend/backend.js';
import { createGpujsBackend } from './gpujs-backend.js';

// every case compiles its own pack, GEMM and unpack shaders (llvmpipe compiles on the shared CPUs)
vi.setConfig({ testTimeout: 180_000 });

const always = createGpujsBackend({ log: () => {}, packedGemm: 'always' });
const auto = createGpujsBackend({ log: () => {} });
if (!always.isGL) console.log(`[packed-gemm test] skipped: GPU.js gave ${always.kernelClass}, the packed GEMM is GL-only`);

if (always.isGL) describeBackendConformance(() => always, { tolerance: 1e-4, label: `gpujs packed 'always'/${always.kernelClass}` });

const TOL = 2e-5;
const rand = (rng: Rng, n: number) => {
  const a = new Float32Array(n);
  rng.fillUniform(a, -1, 1);
  return a;
};

describe.skipIf(!auto.isGL)('packed GEMM at sizes the auto backend routes to it', () => {
  const rng = Rng.fromSeed(5);
  it('matmul 67 x 131 x 45 (odd sizes) and a batched transposed matmul', () => {
    for (const [as, bs, ta, tb] of [
      [[1, 67, 131], [1, 131, 45], false, false],
      [[3, 96, 40], [1, 72, 96], true, true],
    ] as Array<[ref.Shape3, ref.Shape3, boolean, boolean]>) {
      const a = rand(rng, as[0] * as[1] * as[2]),
        b = rand(rng, bs[0] * bs[1] * bs[2]);
      const ha = auto.upload(a),
        hb = auto.upload(b);
      const got = auto.matmul(ha, as, hb, bs, ta, tb);
      expectClose(auto.download(got), ref.refMatmul(Float64Array.from(a), as, Float64Array.from(b), bs, ta, tb), TOL, `matmul ${as} ${bs} ${ta} ${tb}`);
      for (const h of [ha, hb, got]) auto.release(h);
    }
  });

  const convs: Array<{ x: number[]; w: number[]; a: Conv2dAttrs }> = [
    { x: [4, 16, 12, 12], w: [24, 16, 3, 3], a: { stride: [1, 1], pad: [1, 1] } },
    { x: [2, 3, 20, 18], w: [8, 3, 5, 5], a: { stride: [2, 1], pad: [2, 2] } },
    { x: [16, 8, 16, 16], w: [4, 8, 3, 3], a: { stride: [1, 1], pad: [1, 1] } }, // backward-filter K = 4096: split-K
  ];
  it.each(convs.map((c, i) => [i, c] as const))('conv %i: forward (+ bias, ReLU), backward-input, backward-filter', (_i, { x: xs, w: ws, a }) => {
    const ys = ref.conv2dOutShape(xs, ws, a);
    const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
    const x = rand(rng, size(xs)),
      w = rand(rng, size(ws)),
      dy = rand(rng, size(ys)),
      bias = rand(rng, ws[0]);
    const [hx, hw, hdy, hb] = [x, w, dy, bias].map((d) => auto.upload(d));
    const f = (d: Float32Array) => Float64Array.from(d);
    const outs = [
      [auto.conv2d(hx, xs, hw, ws, a), ref.refConv2d(f(x), xs, f(w), ws, a), 'forward'],
      [auto.conv2dBiasAct!(hx, xs, hw, ws, hb, a, 'relu'), ref.refConv2dBiasAct(f(x), xs, f(w), ws, f(bias), a, 'relu'), 'bias+relu'],
      [auto.conv2dBackwardInput(hdy, ys, hw, ws, xs, a), ref.refConv2dBackwardInput(f(dy), ys, f(w), ws, xs, a), 'backward-input'],
      [auto.conv2dBackwardFilter(hx, xs, hdy, ys, ws, a), ref.refConv2dBackwardFilter(f(x), xs, f(dy), ys, ws, a), 'backward-filter'],
    ] as const;
    for (const [got, want, label] of outs) {
      expectClose(auto.download(got), want, TOL, label);
      auto.release(got);
    }
    for (const h of [hx, hw, hdy, hb]) auto.release(h);
  });
});
