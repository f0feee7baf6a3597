import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import { grad } from '../autograd/index.js';
import { gradCheck } from '../../property-tests/gradcheck.js';
import { EngineError } from '../errors.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import * as T from './index.js';

beforeAll(() => {
  useBackend(createCpuBackend());
});

const f64 = { dtype: 'float64' as const };
// a non-linear head after the reversal, as an adversary would be
const head = (z: Tensor, w: Tensor) => T.sum(T.tanh(T.matmul(z, w)));

describe('gradReverse', () => {
  const zv = [0.3, -1.2, 0.7, 2.0, -0.4, 0.1];
  const wv = [0.5, -0.3, 1.1, 0.2, -0.7, 0.9];

  it('is the identity forward', () => {
    const z = T.tensor(zv, [2, 3], f64);
    expect(Array.from(T.gradReverse(z, 0.7).toArray())).toEqual(zv);
  });

  it('backward: -lambda times the central-difference gradient of the forward composition', () => {
    for (const lambda of [0, 0.5, 1, 3]) {
      scope(() => {
        const z = T.tensor(zv, [2, 3], { ...f64, requiresGrad: true });
        const w = T.tensor(wv, [3, 2], { ...f64, requiresGrad: true });
        const [gz, gw] = grad(head(T.gradReverse(z, lambda), w), [z, w]);
        // numeric gradient in z of the forward (identity) composition, entry by entry
        const eps = 1e-6;
        const at = (vals: number[]) => head(T.tensor(vals, [2, 3], f64), T.tensor(wv, [3, 2], f64)).item();
        const numeric = zv.map((_, i) => (at(zv.map((v, j) => (j === i ? v + eps : v))) - at(zv.map((v, j) => (j === i ? v - eps : v)))) / (2 * eps));
        Array.from(gz.toArray()).forEach((g, i) => expect(g).toBeCloseTo(-lambda * numeric[i], 7));
        // the parameters after the reversal get their ordinary gradient
        const [gw0] = grad(head(T.tensor(zv, [2, 3], f64), w), [w]);
        expect(Array.from(gw.toArray())).toEqual(Array.from(gw0.toArray()));
      });
    }
  });

  it('two reversals cancel: the composition passes the gradient check of the identity', () => {
    const z = T.tensor(zv, [2, 3], f64);
    const w = T.tensor(wv, [3, 2], f64);
    expect(gradCheck((zi, wi) => head(T.gradReverse(T.gradReverse(zi, 2), 0.5), wi), [z, w], { tol: 1e-6 })).toBeLessThan(1e-6);
  });

  it('refuses a negative or non-finite lambda', () => {
    const z = T.tensor(zv, [2, 3], f64);
    expect(() => T.gradReverse(z, -1)).toThrow(EngineError);
    expect(() => T.gradReverse(z, NaN)).toThrow(EngineError);
  });
});
