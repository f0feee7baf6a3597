/** What the layer tests share: a module's gradients checked by central differences, in float64. */
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { gradCheck } from '../../property-tests/gradcheck.js';
import { initModule, type ApplyCtx, type Module } from './module.js';

/** The gradient of a module's output in its input and every parameter (float64, params from seed 3), checked by the shared central-difference checker. */
export const checkModuleGrad = (m: Module, x: Tensor, ctx: ApplyCtx = { training: true, updateStats: false }, tol = 1e-6): number => {
  const { params, state } = initModule(m, Rng.fromSeed(3), { dtype: 'float64' });
  const names = [...params.keys()];
  const x64 = T.tensor(x.toArray(), x.shape, { dtype: 'float64' });
  return gradCheck((xi, ...ps) => m.apply(new Map(names.map((n, i) => [n, ps[i]])), state, xi, ctx).y, [x64, ...params.values()], { tol });
};
