/**
 * Adam (Kingma & Ba) with PyTorch's arithmetic: m <- b1 m + (1-b1) g, v <- b2 v + (1-b2) g^2,
 * p <- p - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). Weight decay is L2 added to
 * the gradient (torch.optim.Adam) unless `decoupled` (AdamW: p <- p (1 - lr wd) first).
 * The ELIM release uses betas (0.5, 0.99).
 */
import * as T from '../ops/index.js';
import { makeOptimizer, type CommonOptions, type Optimizer } from './optimizer.js';

export interface AdamOptions extends CommonOptions {
  readonly betas?: readonly [number, number];
  readonly eps?: number;
  readonly decoupled?: boolean;
}

export const adam = (o: AdamOptions): Optimizer => {
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  const eps = o.eps ?? 1e-8;
  return makeOptimizer(o.decoupled ? 'AdamW' : 'Adam', o, ['exp_avg', 'exp_avg_sq'], (p, g0, s, lr, wd, t) => {
    const g = wd !== 0 && !o.decoupled ? T.add(g0, T.mul(p, wd)) : g0;
    const base = wd !== 0 && o.decoupled ? T.mul(p, 1 - lr * wd) : p;
    const m = T.add(T.mul(s.exp_avg, b1), T.mul(g, 1 - b1));
    const v = T.add(T.mul(s.exp_avg_sq, b2), T.mul(T.square(g), 1 - b2));
    const denom = T.add(T.sqrt(T.div(v, 1 - b2 ** t)), eps);
    const value = T.sub(base, T.mul(T.div(m, denom), lr / (1 - b1 ** t)));
    return { value, slots: { exp_avg: m, exp_avg_sq: v } };
  });
};
