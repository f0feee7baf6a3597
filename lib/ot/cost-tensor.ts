/**
 * Cost and relevance on tensors, built from lib/ops, so the ELIM transport stage computes C
 * from latent tensors z on any backend and may differentiate through it. Same definitions as
 * cost.ts / relevance.ts (which the tests compare against):
 *   cosineCostT(x [n,d], y [m,d])   -> [n,m] 1 - cos (norms floored at eps; not clamped, so the
 *                                      gradient is never cut off by rounding)
 *   sqEuclideanCostT(x, y)          -> [n,m] |x|^2 + |y|^2 - 2 x y^T, floored at 0
 *   relevanceT(x, y, mode)          -> {a [n], b [m]}, each summing to its length, b rescaled to
 *                                      a's mass (releaseGuard: a's normaliser + 1e-6, no rescale)
 */
import * as T from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { NORM_EPS } from './cost.js';
import { RELEASE_MASS_GUARD, type RelevanceMode, type RelevanceOptions } from './relevance.js';

export const cosineCostT = (x: Tensor, y: Tensor, eps = NORM_EPS): Tensor => {
  const xn = T.div(x, T.l2Norm(x, 1, true, eps));
  const yn = T.div(y, T.l2Norm(y, 1, true, eps));
  return T.sub(1, T.matmul(xn, yn, { transB: true }));
};

export const sqEuclideanCostT = (x: Tensor, y: Tensor): Tensor => {
  const x2 = T.sum(T.square(x), 1, true); // [n,1]
  const y2 = T.reshape(T.sum(T.square(y), 1), [1, y.shape[0]]); // [1,m]
  return T.maximum(T.sub(T.add(x2, y2), T.mul(T.matmul(x, y, { transB: true }), 2)), 0);
};

const rawT = (x: Tensor, other: Tensor, mode: RelevanceMode): Tensor =>
  mode === 'mean-dot' ? T.reshape(T.relu(T.matmul(x, T.mean(other, 0, true), { transB: true })), [x.shape[0]]) : T.l2Norm(x, 1);

export const relevanceT = (x: Tensor, y: Tensor, mode: RelevanceMode, o: RelevanceOptions = {}): { a: Tensor; b: Tensor } => {
  const n = x.shape[0];
  const m = y.shape[0];
  const ra = rawT(x, y, mode);
  const rb = rawT(y, x, mode);
  const a = T.mul(T.div(ra, T.add(T.sum(ra), o.releaseGuard ? RELEASE_MASS_GUARD : 0)), n);
  const bScale = o.releaseGuard ? m : n; // sum to m, then (default) rescale to a's mass n
  const b = T.mul(T.div(rb, T.sum(rb)), bScale);
  return { a, b };
};
