/**
 * The reference kernels against independent expectations: hand-worked values, explicit index
 * formulas, adjoint identities (<A x, y> = <x, A^T y> for every linear kernel and its backward
 * pass), and equivalences (padding = explicit padInto, stride = subsampling).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import { sizeOf, stridesOf, type Shape } from '../../../lib/tensor/shape.js';
import * as R from './index.js';

const rng = Rng.fromSeed(2024);
const rnd = (n: number, lo = -1, hi = 1) => {
  const a = new Float64Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
};
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i]), `at ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
};
/** Random shape of `rank` dims in [1, maxDim] (size-1 dims are common). */
const randShape = (rank: number, maxDim = 4): number[] => Array.from({ length: rank }, () => 1 + rng.int(maxDim));
const at = (shape: Shape, idx: number[]) => idx.reduce((o, v, i) => o + v * stridesOf(shape)[i], 0);
const indices = (shape: Shape): number[][] => {
  const out: number[][] = [];
  const rec = (pre: number[]): void => {
    if (pre.length === shape.length) out.push(pre);
    else for (let i = 0; i < shape[pre.length]; i++) rec([...pre, i]);
  };
  rec([]);
  return out;
};

describe('reference elementwise', () => {
  it('gelu (tanh form) values and its exact derivative', () => {
    expect(R.gelu(0)).toBe(0);
    expect(R.gelu(1)).toBeCloseTo(0.8411919906, 9);
    expect(R.gelu(-3)).toBeCloseTo(-0.0036373920817729943, 12);
    for (const x of [-3, -0.7, 0, 0.4, 2.5]) expect(R.geluGrad(x)).toBeCloseTo((R.gelu(x + 1e-6) - R.gelu(x - 1e-6)) / 2e-6, 8);
  });
  it('NaN propagates through arithmetic maps; sigmoid is stable at extremes', () => {
    for (const op of ['neg', 'exp', 'relu', 'gelu', 'tanh', 'sigmoid', 'step', 'abs', 'sign'] as const) expect(R.UNARY[op](NaN), op).toBeNaN();
    expect(R.UNARY.sigmoid(-1000)).toBe(0);
    expect(R.UNARY.sigmoid(1000)).toBe(1);
    expect(R.UNARY.step(0)).toBe(0);
    expect(R.BINARY.max(NaN, 1)).toBeNaN();
  });
  it('binary broadcasting matches the index formula on random shapes', () => {
    for (let t = 0; t < 20; t++) {
      const out = randShape(1 + rng.int(4));
      // each operand drops leading dims and sets random dims to 1
      const mk = () => out.slice(rng.int(out.length + 1)).map((d) => (rng.uniform() < 0.4 ? 1 : d));
      const as = mk(),
        bs = mk();
      const full = out.map((d, i) => Math.max(d, as[i - (out.length - as.length)] ?? 1, bs[i - (out.length - bs.length)] ?? 1));
      const a = rnd(sizeOf(as)),
        b = rnd(sizeOf(bs));
      const got = R.refBinary('sub', a, as, b, bs, full);
      const pick = (s: Shape, idx: number[]) =>
        at(
          s,
          idx.slice(idx.length - s.length).map((v, i) => (s[i] === 1 ? 0 : v)),
        );
      indices(full).forEach((idx, k) => expect(got[k]).toBe(a[pick(as, idx)] - b[pick(bs, idx)]));
    }
  });
  it('where and clamp', () => {
    close(R.refWhere(Float64Array.from([1, 0]), [2, 1], Float64Array.from([1, 2, 3]), [3], Float64Array.from([9]), [], [2, 3]), [1, 2, 3, 9, 9, 9]);
    close(R.refClamp(Float64Array.from([-2, 0.5, 3]), -1, 1), [-1, 0.5, 1]);
  });
});

describe('reference reduce', () => {
  it('sum/max/min over random axis sets match explicit loops; NaN wins max', () => {
    for (let t = 0; t < 15; t++) {
      const s = randShape(1 + rng.int(4));
      const axes = s.map((_, i) => i).filter(() => rng.uniform() < 0.5);
      const x = rnd(sizeOf(s));
      const outShape = s.map((d, i) => (axes.includes(i) ? 1 : d));
      const want = { sum: new Float64Array(sizeOf(outShape)), max: new Float64Array(sizeOf(outShape)).fill(-Infinity) };
      indices(s).forEach((idx) => {
        const o = at(
          outShape,
          idx.map((v, i) => (axes.includes(i) ? 0 : v)),
        );
        want.sum[o] += x[at(s, idx)];
        want.max[o] = Math.max(want.max[o], x[at(s, idx)]);
      });
      close(R.refReduce('sum', x, s, axes), want.sum, 1e-12);
      close(R.refReduce('max', x, s, axes), want.max, 0);
      close(
        R.refReduce(
          'min',
          x.map((v) => -v),
          s,
          axes,
        ),
        want.max.map((v) => -v),
        0,
      );
    }
    expect(R.refReduce('max', Float64Array.from([1, NaN, 3]), [3], [0])[0]).toBeNaN();
  });
});

describe('reference matmul', () => {
  it('hand example', () =>
    close(R.refMatmul(Float64Array.from([1, 2, 3, 4]), [1, 2, 2], Float64Array.from([5, 6, 7, 8]), [1, 2, 2], false, false), [19, 22, 43, 50]));
  it('transposed operands equal explicitly transposed ones; batch of 1 broadcasts', () => {
    for (let t = 0; t < 10; t++) {
      const [bt, m, k, n] = [1 + rng.int(3), 1 + rng.int(5), 1 + rng.int(5), 1 + rng.int(5)];
      const a = rnd(bt * m * k),
        b = rnd(k * n);
      const want = R.refMatmul(a, [bt, m, k], b, [1, k, n], false, false);
      const aT = R.refPermute(a, [bt, m, k], [0, 2, 1]);
      const bT = R.refPermute(b, [1, k, n], [0, 2, 1]);
      close(R.refMatmul(aT, [bt, k, m], bT, [1, n, k], true, true), want);
      // per-batch product by hand
      for (let q = 0; q < bt; q++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += a[(q * m + i) * k + p] * b[p * n + j];
            expect(want[(q * m + i) * n + j]).toBeCloseTo(s, 12);
          }
    }
  });
});

describe('reference layout', () => {
  it('permute moves each element to its permuted index', () => {
    for (let t = 0; t < 10; t++) {
      const s = randShape(1 + rng.int(4));
      const perm = rng.shuffle(s.map((_, i) => i));
      const x = rnd(sizeOf(s));
      const out = R.refPermute(x, s, perm);
      const os = perm.map((p) => s[p]);
      indices(s).forEach((idx) =>
        expect(
          out[
            at(
              os,
              perm.map((p) => idx[p]),
            )
          ],
        ).toBe(x[at(s, idx)]),
      );
    }
  });
  it('slice and padInto are adjoint; slice of a padInto is the identity', () => {
    for (let t = 0; t < 10; t++) {
      const s = randShape(1 + rng.int(3), 5);
      const begin = s.map((d) => rng.int(d));
      const size = s.map((d, i) => 1 + rng.int(d - begin[i]));
      const x = rnd(sizeOf(s)),
        y = rnd(sizeOf(size));
      expect(dot(R.refSlice(x, s, begin, size), y)).toBeCloseTo(dot(x, R.refPadInto(y, size, begin, s)), 12);
      close(R.refSlice(R.refPadInto(y, size, begin, s), s, begin, size), y, 0);
    }
  });
  it('gather and scatterAdd are adjoint (repeated indices accumulate)', () => {
    const idx = Int32Array.from([3, 0, 3, 1, 3]);
    const x = rnd(4 * 3),
      g = rnd(5 * 3);
    expect(dot(R.refGather(x, [4, 3], idx), g)).toBeCloseTo(dot(x, R.refScatterAdd(g, [5, 3], idx, 4)), 12);
    close(R.refGather(x, [4, 3], idx).slice(0, 3), x.slice(9, 12), 0);
  });
  it('concat places each input at its offset along the axis', () => {
    const a = Float64Array.from([1, 2, 3, 4]),
      b = Float64Array.from([5, 6]);
    close(
      R.refConcat(
        [a, b],
        [
          [2, 2],
          [2, 1],
        ],
        1,
      ),
      [1, 2, 5, 3, 4, 6],
      0,
    );
    close(
      R.refConcat(
        [a, b],
        [
          [2, 2],
          [1, 2],
        ],
        0,
      ),
      [1, 2, 3, 4, 5, 6],
      0,
    );
  });
});

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

describe('reference softmax', () => {
  it('rows sum to 1, equal exp/sum, and survive huge logits', () => {
    const x = rnd(4 * 6, -3, 3);
    const y = R.refSoftmax(x, 4, 6);
    for (let r = 0; r < 4; r++) {
      const row = Array.from(x.slice(r * 6, r * 6 + 6));
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      close(
        y.slice(r * 6, r * 6 + 6),
        row.map((v) => Math.exp(v) / z),
      );
    }
    close(R.refSoftmax(Float64Array.from([1000, 1000, -1000]), 1, 3), [0.5, 0.5, 0]);
  });
});
