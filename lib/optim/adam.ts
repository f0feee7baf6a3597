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
  return makeOptimizer(o.decoupled ? 'AdamW' : 'Adam', o, ['exp_avg', 'exp_avg_sq'], (p, g, s, lr, wd, t) => {
    // one fused pass where the backend has it (lib/ops/optim-update.ts holds the definition)
    const r = T.adamUpdate(p, g, s.exp_avg, s.exp_avg_sq, { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled: o.decoupled ?? false, step: t });
    return { value: r.p, slots: { exp_avg: r.m, exp_avg_sq: r.v } };
  });
};
