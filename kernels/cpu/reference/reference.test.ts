/**
 * The reference kernels against independent expectations: hand-worked values, explicit index
 * formulas, adjoint identities (<A x, y> = <x, A^T y> for every linear kernel and its backward
 * pass). Convolution and pooling are in reference-spatial.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { sizeOf, type Shape } from '../../../lib/tensor/shape.js';
import * as R from './index.js';
import { at, close, dot, indices, randShape, rnd, rng } from './reference.test-helpers.js';

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
