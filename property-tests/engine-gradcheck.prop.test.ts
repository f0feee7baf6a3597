/**
 * A gradient check for every differentiable op: central differences along a random direction,
 * float64, CPU backend (property-tests/gradcheck.ts). Inputs of non-smooth ops (relu, abs,
 * max, clamp, max-pool) are kept away from their kinks so the finite difference is meaningful.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../lib/backend/current.js';
import * as T from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import type { Shape } from '../lib/tensor/shape.js';
import type { Tensor } from '../lib/tensor/tensor.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { gradCheck } from './gradcheck.js';
import { grad as gradOf } from '../lib/autograd/grad.js';
import { scope } from '../lib/tensor/scope.js';

const gradValues = (f: () => Tensor, x: Tensor) => scope(() => ({ grad: gradOf(f(), [x])[0].toArray() }));

const TOL = 1e-6;
let seed = 1;
/** Random float64 tensor in [lo, hi). */
const r = (shape: Shape, lo = -1, hi = 1) => T.randomUniform(shape, Rng.fromSeed(seed++), lo, hi, { dtype: 'float64' });
/** Random float64 tensor with |values| in [0.2, 1.2): away from 0. */
const away = (shape: Shape) => T.mul(T.add(r(shape, 0.2, 1.2), 0), T.sign(r(shape)));
/** Distinct values (a shuffled ramp): max/min and max-pool have no near-ties. */
const ramp = (shape: Shape) => {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Rng.fromSeed(seed++).shuffle(Array.from({ length: n }, (_, i) => (i - n / 2) / n));
  return T.tensor(Float64Array.from(vals), shape, { dtype: 'float64' });
};

const cases: Record<string, () => [(...xs: Tensor[]) => Tensor, Tensor[]]> = {
  add: () => [T.add, [r([3, 1, 4]), r([5, 1])]],
  sub: () => [T.sub, [r([2, 3]), r([3])]],
  mul: () => [T.mul, [r([4, 1]), r([1, 5])]],
  div: () => [T.div, [r([2, 3]), away([2, 1])]],
  pow: () => [T.pow, [r([2, 3], 0.5, 2), r([3], -1, 2)]],
  maximum: () => [T.maximum, [ramp([3, 4]), T.mul(ramp([3, 4]), -1)]],
  minimum: () => [T.minimum, [ramp([3, 4]), T.add(ramp([4]), 0.013)]],
  neg: () => [T.neg, [r([5])]],
  exp: () => [T.exp, [r([2, 3])]],
  log: () => [T.log, [r([2, 3], 0.3, 2)]],
  sqrt: () => [T.sqrt, [r([2, 3], 0.3, 2)]],
  abs: () => [T.abs, [away([7])]],
  relu: () => [T.relu, [away([3, 3])]],
  gelu: () => [T.gelu, [r([3, 3], -3, 3)]],
  tanh: () => [T.tanh, [r([3, 3], -2, 2)]],
  sigmoid: () => [T.sigmoid, [r([3, 3], -3, 3)]],
  square: () => [T.square, [r([4])]],
  reciprocal: () => [T.reciprocal, [away([4])]],
  clamp: () => [(x) => T.clamp(x, -0.33, 0.33), [ramp([9])]], // ramp values are multiples of 1/9: none at a bound
  where: () => {
    const cond = T.gt(r([3, 1]), 0);
    return [(a, b) => T.where(cond, a, b), [r([3, 4]), r([4])]];
  },
  sum: () => [(x) => T.sum(x, [0, 2]), [r([2, 3, 4])]],
  reduceMax: () => [(x) => T.max(x, 1), [ramp([3, 5])]],
  reduceMin: () => [(x) => T.min(x, [0, 1], true), [ramp([3, 5])]],
  mean: () => [(x) => T.mean(x, -1), [r([3, 5])]],
  variance: () => [(x) => T.variance(x, 0, false, true), [r([4, 3])]],
  reshape: () => [(x) => T.reshape(x, [3, -1]), [r([2, 3, 2])]],
  permute: () => [(x) => T.permute(x, [2, 0, 1]), [r([2, 3, 4])]],
  matmul: () => [(a, b) => T.matmul(a, b), [r([2, 3, 4]), r([4, 5])]],
  matmulTransposed: () => [(a, b) => T.matmul(a, b, { transA: true, transB: true }), [r([4, 3]), r([2, 5, 4])]],
  slice: () => [(x) => T.slice(x, [1, 0, 1], [2, -1, 2]), [r([3, 4, 4])]],
  padInto: () => [(x) => T.padInto(x, [1, 2], [4, 5]), [r([2, 3])]],
  gather: () => [(x) => T.gather(x, [2, 0, 2, 1]), [r([3, 4])]],
  scatterAdd: () => [(g) => T.scatterAdd(g, [2, 0, 2, 1], 5), [r([4, 3])]],
  concat: () => [(a, b, c) => T.concat([a, b, c], 1), [r([2, 1, 3]), r([2, 4, 3]), r([2, 2, 3])]],
  stack: () => [(a, b) => T.stack([a, b], -1), [r([3, 2]), r([3, 2])]],
  broadcastTo: () => [(x) => T.broadcastTo(x, [2, 4, 3]), [r([4, 1])]],
  softmax: () => [(x) => T.softmax(x), [r([3, 5], -3, 3)]],
  softmaxAxis0: () => [(x) => T.softmax(x, 0), [r([3, 5], -3, 3)]],
  logSoftmax: () => [(x) => T.logSoftmax(x, 1), [r([2, 6, 2], -3, 3)]],
  conv2d: () => [(x, w) => T.conv2d(x, w, { stride: [2, 1], padding: 1 }), [r([2, 3, 6, 5]), r([4, 3, 3, 2])]],
  conv2dUnpadded: () => [(x, w) => T.conv2d(x, w), [r([1, 2, 4, 4]), r([3, 2, 2, 2])]],
  // the fused conv + bias (+ ReLU): random pre-activations sit far from the kink at eps = 1e-6
  conv2dBiasAct: () => [(x, w, b) => T.conv2dBiasAct(x, w, b, { stride: [1, 2], padding: [1, 0] }), [r([2, 3, 5, 6]), r([4, 3, 3, 2]), r([4])]],
  conv2dBiasRelu: () => [(x, w, b) => T.conv2dBiasAct(x, w, b, { padding: 1, activation: 'relu' }), [r([2, 2, 4, 5]), r([3, 2, 3, 3]), r([3])]],
  maxPool2d: () => [(x) => T.maxPool2d(x, { kernel: 3, stride: 2, padding: 1 }), [ramp([2, 2, 5, 6])]],
  avgPool2d: () => [(x) => T.avgPool2d(x, { kernel: [2, 3], stride: 1, padding: [1, 1] }), [r([1, 2, 4, 5])]],
  adaptiveAvgPool2d: () => [(x) => T.adaptiveAvgPool2d(x, [3, 2]), [r([2, 2, 7, 5])]],
  dropout: () => [(x) => T.dropout(x, 0.4, Rng.fromSeed(99), true), [r([4, 5])]], // same mask on every call
  batchNormTrain: () => [(x) => T.batchNormTrain(x, [0, 2, 3], 1e-5).y, [r([3, 2, 2, 2])]],
  batchNormStats: () => [
    (x) => {
      const b = T.batchNormTrain(x, 0, 0);
      return T.add(T.sum(b.mean), T.sum(b.variance));
    },
    [r([4, 3])],
  ],
  normalize: () => [(x, m, v) => T.normalize(x, m, v, 1e-3), [r([4, 3]), r([3]), r([1, 3], 0.5, 2)]],
  layerNorm: () => [(x, g, b) => T.layerNorm(x, g, b), [r([3, 5]), r([5]), r([5])]],
  l2Norm: () => [(x) => T.l2Norm(x, -1), [r([3, 4])]],
  l2NormKeepEps: () => [(x) => T.l2Norm(x, 0, true, 1e-3), [r([3, 4])]],
  cosineSimilarity: () => [(a, b) => T.cosineSimilarity(a, b), [r([3, 4]), r([4])]],
  cosineSimilarityAxis0: () => [(a, b) => T.cosineSimilarity(a, b, 0), [r([3, 4]), r([3, 4])]],
};

describe('gradient check (float64, central differences along a random direction)', () => {
  beforeAll(() => {
    useBackend(createCpuBackend());
  });
  for (const [name, make] of Object.entries(cases)) {
    it(name, () => {
      const [f, inputs] = make();
      expect(gradCheck(f, inputs, { eps: 1e-6 })).toBeLessThan(TOL);
    });
  }

  it('l2Norm has a finite (zero) gradient at 0 when eps > 0, and with eps = 0', () => {
    for (const eps of [1e-6, 0]) {
      const x = T.zeros([2, 3], { dtype: 'float64', requiresGrad: true });
      const { grad } = gradValues(() => T.sum(T.l2Norm(x, -1, false, eps)), x);
      expect(Array.from(grad)).toEqual([0, 0, 0, 0, 0, 0]);
    }
  });

  it('detach stops the gradient: d/dx [x * detach(x)] = detach(x)', () => {
    const x = T.tensor(Float64Array.from([1, -2, 3]), [3], { requiresGrad: true });
    const { grad } = gradValues(() => T.sum(T.mul(x, T.detach(x))), x);
    expect(Array.from(grad)).toEqual([1, -2, 3]);
  });

  it('the helper notices a wrong gradient rule', () => {
    // x * detach(x) has the value x^2 but the gradient x: a check against the values must fail
    const err = gradCheck((x) => T.mul(x, T.detach(x)), [r([4])]);
    expect(err).toBeGreaterThan(0.1);
    expect(() => gradCheck((x) => T.mul(x, T.detach(x)), [r([4])], { tol: 1e-6 })).toThrow(/relative error/);
  });
});
