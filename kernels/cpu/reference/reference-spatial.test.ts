/**
 * The reference convolution and pooling kernels against independent expectations: hand-worked
 * values, adjoint identities (<A x, y> = <x, A^T y> for each backward pass), finite differences,
 * and equivalences (padding = explicit padInto, stride = subsampling).
 */
import { describe, expect, it } from 'vitest';
import { sizeOf } from '../../../lib/tensor/shape.js';
import * as R from './index.js';
import { at, close, dot, indices, rnd, rng } from './reference.test-helpers.js';

const convCases = () =>
  Array.from({ length: 8 }, () => {
    const [n, c, o, kh, kw] = [1 + rng.int(2), 1 + rng.int(3), 1 + rng.int(3), 1 + rng.int(3), 1 + rng.int(3)];
    const a = { stride: [1 + rng.int(2), 1 + rng.int(2)] as [number, number], pad: [rng.int(2), rng.int(2)] as [number, number] };
    const xs = [n, c, kh + rng.int(4), kw + rng.int(4)];
    return { xs, ws: [o, c, kh, kw], a };
  });

describe('reference conv2d', () => {
  it('hand example: 3x3 input, 2x2 kernel', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = Float64Array.from([1, 0, 0, -1]);
    close(R.refConv2d(x, [1, 1, 3, 3], w, [1, 1, 2, 2], { stride: [1, 1], pad: [0, 0] }), [-4, -4, -4, -4]);
    // padding 1, stride 2: windows at (-1,-1), (-1,1), (1,-1), (1,1)
    close(R.refConv2d(x, [1, 1, 3, 3], w, [1, 1, 2, 2], { stride: [2, 2], pad: [1, 1] }), [-1, -3, -7, -4]);
  });
  it('padding equals explicit zero padding; stride equals subsampling the stride-1 result', () => {
    for (const { xs, ws, a } of convCases()) {
      const x = rnd(sizeOf(xs)),
        w = rnd(sizeOf(ws));
      const padded = [xs[0], xs[1], xs[2] + 2 * a.pad[0], xs[3] + 2 * a.pad[1]];
      const xp = R.refPadInto(x, xs, [0, 0, a.pad[0], a.pad[1]], padded);
      const full = R.refConv2d(xp, padded, w, ws, { stride: [1, 1], pad: [0, 0] });
      const fs = R.conv2dOutShape(padded, ws, { stride: [1, 1], pad: [0, 0] });
      const got = R.refConv2d(x, xs, w, ws, a);
      const gs = R.conv2dOutShape(xs, ws, a);
      indices(gs).forEach((idx, k) => expect(got[k]).toBeCloseTo(full[at(fs, [idx[0], idx[1], idx[2] * a.stride[0], idx[3] * a.stride[1]])], 12));
    }
  });
  it('backward input and filter are the adjoints of the forward map', () => {
    for (const { xs, ws, a } of convCases()) {
      const ys = R.conv2dOutShape(xs, ws, a);
      const x = rnd(sizeOf(xs)),
        w = rnd(sizeOf(ws)),
        dy = rnd(sizeOf(ys));
      const lhs = dot(R.refConv2d(x, xs, w, ws, a), dy);
      expect(dot(x, R.refConv2dBackwardInput(dy, ys, w, ws, xs, a))).toBeCloseTo(lhs, 10);
      expect(dot(w, R.refConv2dBackwardFilter(x, xs, dy, ys, ws, a))).toBeCloseTo(lhs, 10);
    }
  });
});

describe('reference pooling', () => {
  const x44 = Float64Array.from({ length: 16 }, (_, i) => -(i + 1)); // all negative: padding (0) must never win
  it('max pool with padding: padding never wins', () => {
    close(R.refMaxPool2d(x44, [1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], pad: [1, 1] }), [-1, -2, -4, -5, -6, -8, -13, -14, -16]);
  });
  it('avg pool counts only in-bounds cells', () => {
    close(R.refAvgPool2d(x44, [1, 1, 4, 4], { kernel: [2, 2], stride: [2, 2], pad: [1, 1] }), [-1, -2.5, -4, -7, -8.5, -10, -13, -14.5, -16]);
  });
  it('max pool backward is the derivative (finite differences) and routes to the first arg-max', () => {
    const a = { kernel: [3, 2] as [number, number], stride: [2, 1] as [number, number], pad: [1, 1] as [number, number] };
    const xs = [2, 2, 5, 4];
    const x = rnd(sizeOf(xs));
    const ys = R.pool2dOutShape(xs, a);
    const dy = rnd(sizeOf(ys));
    const dx = R.refMaxPool2dBackward(x, xs, dy, ys, a);
    const e = 1e-7;
    for (let i = 0; i < x.length; i++) {
      const xp = x.slice(),
        xm = x.slice();
      xp[i] += e;
      xm[i] -= e;
      expect(dx[i]).toBeCloseTo((dot(R.refMaxPool2d(xp, xs, a), dy) - dot(R.refMaxPool2d(xm, xs, a), dy)) / (2 * e), 6);
    }
    expect(
      Array.from(
        R.refMaxPool2dBackward(Float64Array.from([1, 1]), [1, 1, 1, 2], Float64Array.from([5]), [1, 1, 1, 1], { kernel: [1, 2], stride: [1, 2], pad: [0, 0] }),
      ),
    ).toEqual([5, 0]);
  });
  it('avg and adaptive backward passes are adjoints; adaptive equals avg when the size divides', () => {
    const a = { kernel: [3, 2] as [number, number], stride: [2, 1] as [number, number], pad: [1, 1] as [number, number] };
    const xs = [2, 3, 5, 4];
    const x = rnd(sizeOf(xs));
    const ys = R.pool2dOutShape(xs, a);
    const dy = rnd(sizeOf(ys));
    expect(dot(R.refAvgPool2d(x, xs, a), dy)).toBeCloseTo(dot(x, R.refAvgPool2dBackward(dy, ys, xs, a)), 12);
    for (const out of [
      [3, 2],
      [1, 1],
      [7, 9],
    ] as Array<[number, number]>) {
      const as = [2, 3, out[0], out[1]];
      const g = rnd(sizeOf(as));
      expect(dot(R.refAdaptiveAvgPool2d(x, xs, out), g)).toBeCloseTo(dot(x, R.refAdaptiveAvgPool2dBackward(g, as, xs)), 12);
    }
    const x6 = rnd(2 * 6 * 4);
    close(R.refAdaptiveAvgPool2d(x6, [1, 2, 6, 4], [3, 2]), R.refAvgPool2d(x6, [1, 2, 6, 4], { kernel: [2, 2], stride: [2, 2], pad: [0, 0] }));
    expect(R.adaptiveWindow(1, 5, 3)).toEqual([1, 4]); // PyTorch: [floor(5/3), ceil(10/3))
  });
});
