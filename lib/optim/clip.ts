/**
 * Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): if the L2 norm of all the
 * given gradients together exceeds maxNorm, every one is scaled by maxNorm / (norm + 1e-6).
 * Consumes the gradients it rescales (disposed); the others pass through unchanged.
 */
import { noGrad } from '../autograd/tape.js';
import * as T from '../ops/index.js';
import { asState } from '../nn/tree.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GradTree } from './optimizer.js';

export const globalNorm = (grads: Iterable<Tensor>): number =>
  noGrad(() =>
    scope(() => {
      let total = 0;
      for (const g of grads) total += T.sum(T.square(g)).item();
      return Math.sqrt(total);
    }),
  );

/** Clips the gradients whose names satisfy `which` (default all); returns the new tree and the norm before clipping. */
export const clipGradNorm = (grads: GradTree, maxNorm: number, which: (name: string) => boolean = () => true): { grads: Map<string, Tensor>; norm: number } => {
  const chosen = [...grads].filter(([n]) => which(n));
  const norm = globalNorm(chosen.map(([, g]) => g));
  const out = new Map(grads);
  if (!(norm > maxNorm)) return { grads: out, norm };
  const factor = maxNorm / (norm + 1e-6);
  // the scope releases the lifted scalar factors; asState lets the rescaled gradients escape it
  noGrad(() =>
    scope(() => {
      for (const [n, g] of chosen) out.set(n, asState(T.mul(g, factor)));
    }),
  );
  for (const [, g] of chosen) g.dispose();
  return { grads: out, norm };
};
