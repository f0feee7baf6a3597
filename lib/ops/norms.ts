/** Euclidean norms and cosine similarity along an axis. */
import { EngineError } from '../errors.js';
import { broadcastShapes, normAxes, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, maximum, mul, sqrt, square } from './elementwise.js';
import { fused } from './fused.js';
import { sameBackendAndDtype } from './guard.js';
import { broadcastTo } from './join.js';
import { sum } from './reduce.js';
import { reshape } from './shape-ops.js';

/**
 * max(||x||_2, eps) along `axis`. Its gradient x / ||x|| where the norm exceeds eps and 0
 * elsewhere, so it is finite at x = 0 (a subgradient), unlike differentiating sqrt(sum(x^2)).
 */
export const l2Norm = (x: Tensor, axis = -1, keepDims = false, eps = 0): Tensor => {
  if (!(eps >= 0)) throw new EngineError('ArgumentError', 'l2Norm', `eps must be >= 0, got ${eps}`);
  const ax = normAxes('l2Norm', x.rank, axis);
  const y = fused('l2Norm', [x], { axes: ax, eps }, () => {
    const n = sqrt(sum(square(x), ax, true));
    return eps > 0 ? maximum(n, eps) : n;
  });
  return keepDims
    ? y
    : reshape(
        y,
        x.shape.filter((_, i) => !ax.includes(i)),
      );
};

/** <a, b> / (max(||a||, eps) max(||b||, eps)) along `axis` (a and b broadcast against each other). */
export const cosineSimilarity = (a: Tensor, b: Tensor, axis = -1, eps = 1e-8): Tensor => {
  sameBackendAndDtype('cosineSimilarity', a, b);
  const shape = broadcastShapes('cosineSimilarity', a.shape, b.shape);
  const [ax] = normAxes('cosineSimilarity', shape.length, axis);
  const ta = sameShape(a.shape, shape) ? a : broadcastTo(a, shape);
  const tb = sameShape(b.shape, shape) ? b : broadcastTo(b, shape);
  return div(sum(mul(ta, tb), ax), mul(l2Norm(ta, ax, false, eps), l2Norm(tb, ax, false, eps)));
};
