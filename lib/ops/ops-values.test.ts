/** Forward values of the ops added on top of the primitives (CPU backend, float64 where exactness helps). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import { Rng } from '../rng/rng.js';
import { scope } from '../tensor/scope.js';
import * as T from './index.js';

const f64 = { dtype: 'float64' } as const;
const arr = (t: T.TensorLike) => Array.from((t as ReturnType<typeof T.tensor>).toArray());
const near = (got: number[], want: number[], tol = 1e-12) =>
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `at ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(tol));

describe('op values', () => {
  beforeAll(() => {
    useBackend(createCpuBackend());
  });
  const iota = (shape: number[]) =>
    T.tensor(
      Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
      shape,
      f64,
    );

  it('slice (size -1 runs to the end) and padInto', () => {
    const s = T.slice(iota([3, 4]), [1, 2], [-1, -1]);
    expect(s.shape).toEqual([2, 2]);
    expect(arr(s)).toEqual([6, 7, 10, 11]);
    expect(arr(T.padInto(T.tensor([1, 2], [1, 2]), [1, 0], [2, 3]))).toEqual([0, 0, 0, 1, 2, 0]);
  });
  it('gather with repeats; scatterAdd accumulates', () => {
    expect(arr(T.gather(iota([3, 2]), Int32Array.from([2, 2, 0])))).toEqual([4, 5, 4, 5, 0, 1]);
    expect(arr(T.scatterAdd(T.ones([3, 1]), [1, 1, 0], 2))).toEqual([1, 2]);
  });
  it('concat, stack, broadcastTo', () => {
    const a = iota([2, 2]);
    expect(arr(T.concat([a, T.full([2, 1], 9, f64)], -1))).toEqual([0, 1, 9, 2, 3, 9]);
    const st = T.stack([a, T.add(a, 10)], 1);
    expect(st.shape).toEqual([2, 2, 2]);
    expect(arr(st)).toEqual([0, 1, 10, 11, 2, 3, 12, 13]);
    const b = T.broadcastTo(T.tensor([1, 2], [2, 1]), [3, 2, 2]);
    expect(b.shape).toEqual([3, 2, 2]);
    expect(arr(b)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2]);
  });
  it('softmax along any axis sums to 1; logSoftmax is stable for huge logits', () => {
    const x = T.randomNormal([3, 4, 2], Rng.fromSeed(3), 0, 3, f64);
    for (const ax of [0, 1, 2]) near(arr(T.sum(T.softmax(x, ax), ax)), new Array(6).fill(1), 1e-12);
    near(arr(T.exp(T.logSoftmax(x, 1))), arr(T.softmax(x, 1)), 1e-12);
    const big = T.logSoftmax(T.tensor([1000, 0, -1000], [3], f64));
    near(arr(big), [0, -1000, -2000], 1e-9);
    expect(arr(T.softmax(T.tensor([NaN, 1], [2])))[1]).toBeNaN(); // NaN propagates (documented)
  });
  it('conv2d / pools through the op layer', () => {
    const y = T.conv2d(iota([1, 1, 3, 3]), T.tensor(Float64Array.from([1, 0, 0, -1]), [1, 1, 2, 2]), { stride: 2, padding: 1 });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(arr(y).map((v) => v + 0)).toEqual([0, -2, -6, -4]); // + 0 folds -0 into 0
    expect(arr(T.maxPool2d(iota([1, 1, 4, 4]), { kernel: 2 }))).toEqual([5, 7, 13, 15]);
    expect(arr(T.avgPool2d(iota([1, 1, 4, 4]), { kernel: 2 }))).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(arr(T.adaptiveAvgPool2d(iota([1, 1, 4, 4]), [1, 1]))).toEqual([7.5]);
  });
  it('dropout: inverted scaling, mask from the rng (reproducible), identity in eval', () => {
    const x = T.ones([4000]);
    const y = arr(T.dropout(x, 0.25, Rng.fromSeed(7), true));
    const kept = y.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(kept.length / 4000 - 0.75)).toBeLessThan(0.03);
    expect(arr(T.dropout(x, 0.25, Rng.fromSeed(7), true))).toEqual(y);
    expect(arr(T.dropout(T.tensor([1, 2], [2]), 0.5, Rng.fromSeed(7), false))).toEqual([1, 2]);
  });
  it('batchNormTrain: zero mean, unit population variance, kept-dim statistics', () => {
    const x = T.randomNormal([5, 3, 2], Rng.fromSeed(11), 2, 4, f64);
    const { y, mean, variance } = T.batchNormTrain(x, [0, 2], 0);
    expect(mean.shape).toEqual([1, 3, 1]);
    expect(variance.shape).toEqual([1, 3, 1]);
    near(arr(T.mean(y, [0, 2])), [0, 0, 0], 1e-12);
    near(arr(T.variance(y, [0, 2])), [1, 1, 1], 1e-12);
    near(arr(T.normalize(x, mean, variance, 0)), arr(y), 1e-12);
  });
  it('layerNorm applies gain and shift per feature', () => {
    const y = T.layerNorm(
      T.tensor(Float64Array.from([1, 2, 3, 0, 10, 20]), [2, 3]),
      T.tensor(Float64Array.from([1, 2, 3]), [3]),
      T.tensor(Float64Array.from([0, 0, 1]), [3]),
      0,
    );
    near(arr(y), [-Math.sqrt(1.5), 0, 3 * Math.sqrt(1.5) + 1, -Math.sqrt(1.5), 0, 3 * Math.sqrt(1.5) + 1], 1e-12);
  });
  it('l2Norm and cosineSimilarity', () => {
    const x = T.tensor(Float64Array.from([3, 4, 0, 0]), [2, 2]);
    near(arr(T.l2Norm(x)), [5, 0]);
    near(arr(T.l2Norm(x, -1, true, 0.1)), [5, 0.1]);
    expect(T.l2Norm(x, 0, true).shape).toEqual([1, 2]);
    near(arr(T.cosineSimilarity(x, T.tensor(Float64Array.from([4, -3]), [2]))), [0, 0]);
    near(arr(T.cosineSimilarity(x, T.tensor(Float64Array.from([6, 8]), [2]))), [1, 0]);
  });
  it('detach shares data and carries no tape node', () => {
    const x = T.tensor([1, 2], [2], { requiresGrad: true });
    const d = scope(() => T.detach(T.mul(x, 2)));
    expect(d.node).toBeNull();
    expect(d.tracksGrad).toBe(false);
    expect(arr(d)).toEqual([2, 4]);
  });
});
