/**
 * Test helper for layer tests (not part of the engine API; imported only by *.test.ts):
 * the gradient of a module's output in its input and every parameter, checked in float64
 * with the shared central-difference checker (property-tests/gradcheck.ts).
 */
import { gradCheck } from '../../property-tests/gradcheck.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { initModule, type ApplyCtx, type Module } from './module.js';

/** Returns the relative error (throws above tol). Params are drawn from seed 3 in float64. */
export const checkModuleGrad = (m: Module, x: Tensor, ctx: ApplyCtx = { training: true, updateStats: false }, tol = 1e-6): number => {
  const { params, state } = initModule(m, Rng.fromSeed(3), { dtype: 'float64' });
  const names = [...params.keys()];
  const x64 = T.tensor(x.toArray(), x.shape, { dtype: 'float64' });
  return gradCheck((xi, ...ps) => m.apply(new Map(names.map((n, i) => [n, ps[i]])), state, xi, ctx).y, [x64, ...params.values()], { tol });
};
