/**
 * Test helpers for layer tests (not part of the engine API): a float64 CPU backend and a
 * central-difference gradient check of a scalar function of several tensors.
 */
import { grad } from '../autograd/grad.js';
import { noGrad } from '../autograd/tape.js';
import * as T from '../ops/index.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Max relative error between the analytic gradient of f at xs and central differences
 * (every element perturbed; keep the tensors small). xs must be float64 leaves with requiresGrad.
 */
export const gradError = (f: (xs: readonly Tensor[]) => Tensor, xs: readonly Tensor[], h = 1e-6): number =>
  scope(() => {
    const analytic = grad(f(xs), xs).map((g) => g.toArray());
    let worst = 0;
    xs.forEach((x, k) => {
      const base = x.toArray();
      for (let i = 0; i < base.length; i++) {
        const at = (delta: number) =>
          noGrad(() =>
            scope(() => {
              const v = Float64Array.from(base);
              v[i] += delta;
              const moved = xs.map((y, j) => (j === k ? T.tensor(v, x.shape, { dtype: 'float64', backend: x.backend }) : y));
              return f(moved).item();
            }),
          );
        const numeric = (at(h) - at(-h)) / (2 * h);
        const err = Math.abs(numeric - analytic[k][i]) / Math.max(1, Math.abs(numeric));
        worst = Math.max(worst, err);
      }
    });
    return worst;
  });

/** A fixed pseudo-random weighting so that sum(y * w) has a non-trivial gradient in every output. */
export const weights = (shape: readonly number[], backend: Tensor['backend']): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return T.tensor(Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + 0.3)), shape, { dtype: 'float64', backend });
};
