import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import { linear } from './linear.js';
import { batchNorm1d, batchNorm2d } from './batch-norm.js';
import { layerNorm } from './layer-norm.js';
import { dropout } from './dropout.js';
import { gelu, relu } from './activations.js';
import { initModule } from './module.js';
import { gradCheck } from '../../property-tests/gradcheck.js';
import { checkModuleGrad } from './module-grad.test-helpers.js';

useBackend(createCpuBackend());

const f64 = (v: number[], shape: number[], requiresGrad = false) => T.tensor(v, shape, { dtype: 'float64', requiresGrad });
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(tol);
};

describe('Linear', () => {
  it('computes x W^T + b', () => {
    const m = linear(2, 3);
    const p = new Map([
      ['weight', f64([1, 2, 3, 4, 5, 6], [3, 2])],
      ['bias', f64([0.5, -1, 2], [3])],
    ]);
    const y = m.apply(p, new Map(), f64([1, -1, 2, 0.5], [2, 2]), { training: false }).y;
    // row 1: [1-2, 3-4, 5-6] + b; row 2: [2+1, 6+2, 10+3] + b
    close(y.toArray(), [-0.5, -2, 1, 3.5, 7, 15]);
  });
  it('maps leading axes and has PyTorch-default init bounds', () => {
    const m = linear(4, 5);
    const { params } = initModule(m, Rng.fromSeed(1));
    const w = params.get('weight')!;
    expect(w.requiresGrad).toBe(true);
    expect(Math.max(...Array.from(w.toArray()).map(Math.abs))).toBeLessThanOrEqual(0.5);
    const y = m.apply(params, new Map(), T.zeros([2, 3, 4]), { training: false }).y;
    expect(y.shape).toEqual([2, 3, 5]);
  });
  it('passes a gradient check', () => checkModuleGrad(linear(3, 2), f64([0.1, -0.2, 0.3, 0.4, 0.5, -0.6], [2, 3])));
});

describe('BatchNorm', () => {
  const x = f64([1, 2, 3, 5, 6, 10], [3, 2]); // channel 0: 1,3,6 ; channel 1: 2,5,10
  it('training: batch statistics and PyTorch running-stat update (unbiased variance)', () => {
    const m = batchNorm1d(2);
    const { params, state } = initModule(m, Rng.fromSeed(0), { dtype: 'float64' });
    const r = m.apply(params, state, x, { training: true });
    const mean0 = 10 / 3;
    const var0 = ((1 - mean0) ** 2 + (3 - mean0) ** 2 + (6 - mean0) ** 2) / 3;
    const y0 = [1, 3, 6].map((v) => (v - mean0) / Math.sqrt(var0 + 1e-5));
    close(
      [0, 2, 4].map((i) => r.y.toArray()[i]),
      y0,
    );
    close(r.state.get('running_mean')!.toArray(), [0.1 * mean0, 0.1 * (17 / 3)]);
    expect(r.state.get('running_var')!.toArray()[0]).toBeCloseTo(0.9 + 0.1 * var0 * 1.5, 12);
    // inputs state untouched (pure)
    close(state.get('running_mean')!.toArray(), [0, 0]);
  });
  it('updateStats=false uses batch statistics and returns the same running-stat tensors', () => {
    const m = batchNorm1d(2);
    const { params, state } = initModule(m, Rng.fromSeed(0), { dtype: 'float64' });
    const a = m.apply(params, state, x, { training: true });
    const b = m.apply(params, state, x, { training: true, updateStats: false });
    close(a.y.toArray(), b.y.toArray());
    expect(b.state.get('running_mean')).toBe(state.get('running_mean'));
    expect(b.state.get('running_var')).toBe(state.get('running_var'));
  });
  it('eval: normalises by running statistics', () => {
    const m = batchNorm1d(2);
    const params = new Map([
      ['weight', f64([2, 1], [2])],
      ['bias', f64([0, 1], [2])],
    ]);
    const state = new Map([
      ['running_mean', f64([1, 2], [2])],
      ['running_var', f64([4, 1], [2])],
    ]);
    const r = m.apply(params, state, x, { training: false });
    const e = 1e-5;
    close(r.y.toArray(), [
      0,
      1 + 0 / Math.sqrt(1 + e),
      (2 * 2) / Math.sqrt(4 + e),
      1 + 3 / Math.sqrt(1 + e),
      (2 * 5) / Math.sqrt(4 + e),
      1 + 8 / Math.sqrt(1 + e),
    ]);
    expect(r.state).toBe(state);
  });
  it('2d normalises over N, H, W per channel', () => {
    const m = batchNorm2d(2);
    const { params, state } = initModule(m, Rng.fromSeed(0), { dtype: 'float64' });
    const xs = T.randomNormal([3, 2, 2, 2], Rng.fromSeed(5), 1, 2, { dtype: 'float64' });
    const y = m.apply(params, state, xs, { training: true }).y;
    const mean = T.mean(y, [0, 2, 3]).toArray();
    const v = T.variance(y, [0, 2, 3]).toArray();
    close(mean, [0, 0], 1e-12);
    close(v, [1, 1], 1e-4);
  });
  it('passes gradient checks (1d, 2d, training)', () => {
    checkModuleGrad(batchNorm1d(2), x);
    checkModuleGrad(batchNorm2d(2), T.randomNormal([2, 2, 2, 1], Rng.fromSeed(9), 0, 1, { dtype: 'float64' }));
  });
});

describe('LayerNorm', () => {
  it('normalises the last axis', () => {
    const m = layerNorm(3);
    const { params } = initModule(m, Rng.fromSeed(0), { dtype: 'float64' });
    const y = m.apply(params, new Map(), f64([1, 2, 3, 0, 0, 3], [2, 3]), { training: false }).y.toArray();
    const s1 = Math.sqrt(2 / 3 + 1e-5);
    const s2 = Math.sqrt(2 + 1e-5);
    close(y, [-1 / s1, 0, 1 / s1, -1 / s2, -1 / s2, 2 / s2]);
  });
  it('passes a gradient check', () => checkModuleGrad(layerNorm(3), f64([1, 2, 3.5, 0.1, -1, 3], [2, 3])));
});

describe('Dropout', () => {
  it('is the identity in eval and zeroes ~p of the entries (scaled by 1/(1-p)) in training', () => {
    const m = dropout(0.25);
    const x = T.ones([4000]);
    expect(m.apply(new Map(), new Map(), x, { training: false }).y).toBe(x);
    const y = Array.from(m.apply(new Map(), new Map(), x, { training: true, rng: Rng.fromSeed(1) }).y.toArray());
    const zeros = y.filter((v) => v === 0).length;
    expect(zeros / 4000).toBeGreaterThan(0.22);
    expect(zeros / 4000).toBeLessThan(0.28);
    expect(y.filter((v) => v !== 0).every((v) => Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
  });
  it('is reproducible from the rng and demands one in training', () => {
    const m = dropout(0.5);
    const x = T.ones([50]);
    const a = m.apply(new Map(), new Map(), x, { training: true, rng: Rng.fromSeed(7) }).y.toArray();
    const b = m.apply(new Map(), new Map(), x, { training: true, rng: Rng.fromSeed(7) }).y.toArray();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => m.apply(new Map(), new Map(), x, { training: true })).toThrow(/rng/);
  });
});

describe('activations', () => {
  it('ReLU and GELU (tanh approximation) by hand, with gradient checks', () => {
    const x = f64([-2, -0.5, 0.3, 1.7], [2, 2]);
    const none = new Map();
    expect(Array.from(relu().apply(none, none, x, { training: false }).y.toArray())).toEqual([0, 0, 0.3, 1.7]);
    const g = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    close(gelu().apply(none, none, x, { training: false }).y.toArray(), [-2, -0.5, 0.3, 1.7].map(g), 1e-12);
    checkModuleGrad(relu(), x);
    checkModuleGrad(gelu(), x);
  });
  it('Dropout passes a gradient check (the same mask each evaluation)', () => {
    const m = dropout(0.3);
    const x64 = T.tensor(
      Float64Array.from({ length: 12 }, (_, i) => Math.cos(i)),
      [3, 4],
      { dtype: 'float64' },
    );
    gradCheck((xi) => m.apply(new Map(), new Map(), xi, { training: true, rng: Rng.fromSeed(4) }).y, [x64], { tol: 1e-6 });
  });
});
