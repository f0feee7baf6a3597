/**
 * SGD with momentum, PyTorch's form: g <- g + wd p; buf <- momentum buf + (1 - dampening) g
 * (buf = g on the first step); step direction = nesterov ? g + momentum buf : buf; p <- p - lr d.
 */
import * as T from '../ops/index.js';
import { makeOptimizer, type CommonOptions, type Optimizer, type RuleResult } from './optimizer.js';

export interface SgdOptions extends CommonOptions {
  readonly momentum?: number;
  readonly dampening?: number;
  readonly nesterov?: boolean;
}

export const sgd = (o: SgdOptions): Optimizer => {
  const mu = o.momentum ?? 0;
  const damp = o.dampening ?? 0;
  return makeOptimizer('SGD', o, mu ? ['momentum_buffer'] : [], (p, g0, s, lr, wd, t): RuleResult => {
    const g = wd !== 0 ? T.add(g0, T.mul(p, wd)) : g0;
    if (!mu) return { value: T.sub(p, T.mul(g, lr)), slots: {} };
    const buf = t === 1 ? T.mul(g, 1) : T.add(T.mul(s.momentum_buffer, mu), T.mul(g, 1 - damp));
    const d = o.nesterov ? T.add(g, T.mul(buf, mu)) : buf;
    return { value: T.sub(p, T.mul(d, lr)), slots: { momentum_buffer: buf } };
  });
};
