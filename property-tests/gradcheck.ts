/**
 * Gradient check by central differences along one random direction (as OTT-JAX does): for
 * L(x) = <f(x), w> with a fixed random weight w (L = f(x) when f is scalar) and a random
 * direction v over all inputs, compare the analytic directional derivative sum_i <dL/dx_i, v_i>
 * with (L(x + eps v) - L(x - eps v)) / (2 eps). Run it in float64 (on the CPU backend).
 *
 * Returns |analytic - numeric| / max(|analytic|, |numeric|, 1e-6); with `tol` it also throws
 * (with both numbers) when the error exceeds tol. Used for every op, layer and loss.
 */
import { grad } from '../lib/autograd/grad.js';
import { noGrad } from '../lib/autograd/tape.js';
import { EngineError } from '../lib/errors.js';
import { mul, sum, tensor } from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import { scope } from '../lib/tensor/scope.js';
import type { Tensor } from '../lib/tensor/tensor.js';

export interface GradCheckOptions {
  /** Step along the direction (default 1e-6). */
  readonly eps?: number;
  /** Throw when the relative error exceeds this. */
  readonly tol?: number;
  /** Seed of the direction and output weights (default 12345). */
  readonly seed?: number;
}

export const gradCheck = (f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], o: GradCheckOptions = {}): number => {
  const eps = o.eps ?? 1e-6;
  for (const x of inputs)
    if (x.dtype !== 'float64') throw new EngineError('DTypeError', 'gradCheck', `inputs must be float64 (got ${x.dtype}): float32 differences are noise`);
  const rng = Rng.fromSeed(o.seed ?? 12345);
  const base = inputs.map((x) => x.toArray() as Float64Array);
  const dirs = base.map((b) => {
    const v = new Float64Array(b.length);
    rng.fillNormal(v);
    return v;
  });
  const make = (vals: Float64Array, like: Tensor, requiresGrad = false) => tensor(vals, like.shape, { dtype: 'float64', backend: like.backend, requiresGrad });
  let weights: Float64Array | null = null;
  /** L(x) = <f(x), w>, w drawn once from the output's size. */
  const objective = (xs: Tensor[]): Tensor => {
    const y = f(...xs);
    if (y.size === 1) return y;
    if (!weights) {
      weights = new Float64Array(y.size);
      rng.fillNormal(weights);
    }
    const w = tensor(weights, y.shape, { dtype: 'float64', backend: y.backend });
    return sum(mul(y, w));
  };
  const analytic = scope(() => {
    const leaves = base.map((b, i) => make(b, inputs[i], true));
    const gs = grad(objective(leaves), leaves);
    return gs.reduce((acc, g, i) => acc + dotArr(g.toArray(), dirs[i]), 0);
  });
  const at = (sign: number) =>
    noGrad(() =>
      scope(() =>
        objective(
          base.map((b, i) =>
            make(
              b.map((v, k) => v + sign * eps * dirs[i][k]),
              inputs[i],
            ),
          ),
        ).item(),
      ),
    );
  const numeric = (at(1) - at(-1)) / (2 * eps);
  const err = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-6);
  if (o.tol !== undefined && !(err <= o.tol)) throw new Error(`gradCheck: relative error ${err} > ${o.tol} (analytic ${analytic}, numeric ${numeric})`);
  return err;
};

const dotArr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
