/**
 * The Adam/AdamW parameter update as an op: one backend call where the backend fuses it (the CPU
 * backend: one pass instead of a dozen), else the composition below, which defines the values.
 * Not recorded on the tape: optimisers run outside it.
 */
import type { AdamHyper } from '../backend/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { add, div, mul, sqrt, square, sub } from './elementwise.js';
import { sameBackendAndDtype } from './guard.js';
import { shapeError } from '../errors.js';

export interface AdamUpdated {
  readonly p: Tensor;
  readonly m: Tensor;
  readonly v: Tensor;
}

/** The definition: the separate ops (each result rounded to the dtype). */
export const adamUpdateComposed = (p: Tensor, g0: Tensor, m0: Tensor, v0: Tensor, h: AdamHyper): AdamUpdated => {
  const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled, step: t } = h;
  const g = wd !== 0 && !decoupled ? add(g0, mul(p, wd)) : g0;
  const base = wd !== 0 && decoupled ? mul(p, 1 - lr * wd) : p;
  const m = add(mul(m0, b1), mul(g, 1 - b1));
  const v = add(mul(v0, b2), mul(square(g), 1 - b2));
  const denom = add(sqrt(div(v, 1 - b2 ** t)), eps);
  return { p: sub(base, mul(div(m, denom), lr / (1 - b1 ** t))), m, v };
};

export const adamUpdate = (p: Tensor, g: Tensor, m: Tensor, v: Tensor, h: AdamHyper): AdamUpdated => {
  sameBackendAndDtype('adamUpdate', p, g);
  sameBackendAndDtype('adamUpdate', p, m);
  sameBackendAndDtype('adamUpdate', p, v);
  for (const t of [g, m, v]) {
    if (t.shape.length !== p.shape.length || t.shape.some((d, i) => d !== p.shape[i]))
      throw shapeError('adamUpdate', "gradient and moments must have the parameter's shape", p.shape, t.shape);
  }
  const fusedUpdate = p.backend.adamUpdate;
  if (!fusedUpdate) return adamUpdateComposed(p, g, m, v, h);
  const [hp, hm, hv] = fusedUpdate.call(p.backend, p.handle, g.handle, m.handle, v.handle, h);
  return { p: new Tensor(p.backend, hp, p.shape), m: new Tensor(p.backend, hm, p.shape), v: new Tensor(p.backend, hv, p.shape) };
};
