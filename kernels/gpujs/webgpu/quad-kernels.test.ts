/**
 * WebGPU's four-outputs-per-thread kernels (Runtime.run4: matmul.ts, conv2d-quad.ts) against the
 * reference kernels, at shapes chosen to take them (a last axis or a filter's cells in fours)
 * with every transpose, stride, padding and broadcast they branch on, and at shapes just off
 * them (which must take the direct kernels and agree too). Tolerance 1e-4 scaled, as the
 * conformance suite. Results bigger than one layout row (4096 values) are fed to an elementwise
 * kernel that addresses them by (row, column): the relabelled Array(4) buffer must be seen with
 * the engine's layout (device-loop.ts), or row 1 reads the wrong values.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
import { expectClose } from '../../conformance/compare.test-helpers.js';
import { conv2dOutShape, refBinary, refConv2dBackwardFilter, refConv2dBackwardInput, refConv2dBiasAct, refMatmul } from '../../cpu/reference/index.js';
import { openWebGpuForTest } from './test-device.js';

const opened = openWebGpuForTest();
const b = typeof opened === 'string' ? null : opened;
if (!b) console.warn(`[webgpu quad] SKIPPED (not CI): ${opened}`);
afterAll(() => b?.destroy());

const TOL = 1e-4;
const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.7311 + seed) * 1.5));
const f64 = (a: Float32Array) => Float64Array.from(a);

describe.skipIf(!b)('gpujs WebGPU: four outputs per thread', () => {
  const g = b!;
  const read = (h: ReturnType<typeof g.upload>) => {
    const v = g.download(h);
    g.release(h);
    return v;
  };

  const mm: Array<[number, number, number, number, number, boolean, boolean]> = [
    // [ba, bb, m, k, n, transA, transB]
    [1, 1, 7, 9, 12, false, false],
    [3, 3, 5, 6, 8, true, false],
    [2, 1, 4, 5, 16, false, true],
    [1, 2, 6, 3, 4, true, true],
    [1, 1, 70, 33, 96, false, false], // 6720 values: two layout rows
    [1, 1, 5, 4, 6, false, false], // n not in fours: the direct kernel
  ];
  for (const [ba, bb, m, k, n, ta, tb] of mm) {
    it(`matmul [${ba}] ${m}x${k} . [${bb}] ${k}x${n}${ta ? ' A^T' : ''}${tb ? ' B^T' : ''}`, () => {
      const aShape = (ta ? [ba, k, m] : [ba, m, k]) as [number, number, number];
      const bShape = (tb ? [bb, n, k] : [bb, k, n]) as [number, number, number];
      const A = values(ba * m * k, 1);
      const B = values(bb * k * n, 2);
      const want = refMatmul(f64(A), aShape, f64(B), bShape, ta, tb);
      const ha = g.upload(A);
      const hb = g.upload(B);
      const quadBefore = g.stats.quadOps;
      const c = g.matmul(ha, aShape, hb, bShape, ta, tb);
      expect(g.stats.quadOps - quadBefore, 'four per thread exactly when n is a multiple of 4').toBe(n % 4 === 0 ? 1 : 0);
      // through an elementwise kernel that reads (row, column) of the result: c + c
      const cc = g.binary('add', c, [want.length], c, [want.length], [want.length]);
      expectClose(read(c), want, TOL, 'matmul');
      expectClose(read(cc), refBinary('add', want, [want.length], want, [want.length], [want.length]), TOL, 'matmul + itself');
      g.release(ha);
      g.release(hb);
    });
  }

  const convs: Array<{ x: [number, number, number, number]; w: [number, number, number, number]; a: Conv2dAttrs }> = [
    { x: [2, 3, 9, 9], w: [4, 3, 3, 3], a: { stride: [1, 1], pad: [1, 1] } }, // ow 9: direct forward
    { x: [2, 4, 8, 8], w: [5, 4, 3, 3], a: { stride: [1, 1], pad: [1, 1] } },
    { x: [1, 2, 9, 16], w: [3, 2, 5, 5], a: { stride: [2, 2], pad: [2, 2] } }, // forward ow 8 at stride 2
    { x: [1, 4, 8, 12], w: [2, 4, 2, 2], a: { stride: [2, 1], pad: [0, 1] } }, // row stride only: quad dx
    { x: [2, 8, 16, 16], w: [16, 8, 3, 3], a: { stride: [1, 1], pad: [1, 1] } }, // 8192 outputs: two layout rows
  ];
  for (const { x: xShape, w: wShape, a } of convs) {
    const yShape = conv2dOutShape(xShape, wShape, a);
    const name = `x ${xShape.join('x')} w ${wShape.join('x')} stride ${a.stride.join(',')} pad ${a.pad.join(',')}`;
    const X = values(
      xShape.reduce((p, q) => p * q),
      3,
    );
    const W = values(
      wShape.reduce((p, q) => p * q),
      4,
    );
    const DY = values(
      yShape.reduce((p, q) => p * q),
      5,
    );
    const bias = values(wShape[0], 6);

    it(`conv2d forward with bias + ReLU, ${name}`, () => {
      const hx = g.upload(X);
      const hw = g.upload(W);
      const hbias = g.upload(bias);
      const want = refConv2dBiasAct(f64(X), xShape, f64(W), wShape, f64(bias), a, 'relu');
      const y = g.conv2dBiasAct!(hx, xShape, hw, wShape, hbias, a, 'relu');
      const yy = g.binary('mul', y, [want.length], y, [want.length], [want.length]);
      expectClose(read(y), want, TOL, 'conv2d + bias + relu');
      expectClose(read(yy), refBinary('mul', want, [want.length], want, [want.length], [want.length]), TOL, 'squared');
      const plain = g.conv2d(hx, xShape, hw, wShape, a);
      expectClose(read(plain), refConv2dBiasAct(f64(X), xShape, f64(W), wShape, new Float64Array(wShape[0]), a, 'none'), TOL, 'conv2d');
      for (const h of [hx, hw, hbias]) g.release(h);
    });

    it(`conv2d backward input and filter, ${name}`, () => {
      const hx = g.upload(X);
      const hw = g.upload(W);
      const hdy = g.upload(DY);
      expectClose(
        read(g.conv2dBackwardInput(hdy, yShape, hw, wShape, xShape, a)),
        refConv2dBackwardInput(f64(DY), yShape, f64(W), wShape, xShape, a),
        TOL,
        'dx',
      );
      expectClose(
        read(g.conv2dBackwardFilter(hx, xShape, hdy, yShape, wShape, a)),
        refConv2dBackwardFilter(f64(X), xShape, f64(DY), yShape, wShape, a),
        TOL,
        'dw',
      );
      for (const h of [hx, hw, hdy]) g.release(h);
      expect(g.liveHandles()).toBe(0);
    });
  }
});
