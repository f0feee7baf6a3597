/**
 * Batched Sinkhorn on tensors: P problems of one shape, cost [P, n, m], weights a [P, n] and
 * b [P, m], solved where the tensors live. A backend with the optional primitive
 * (Backend.sinkhornBatched) keeps everything on the device; any other gets the host reference
 * (lib/ot/batched.ts `sinkhornBatchedReference`) through one download and one upload, with the
 * same values. Scaling form only; the log-domain solver is host code (sinkhorn-log.ts).
 *
 * Not recorded on the tape: the plan is a constant of the step (ELIM holds X fixed and, where the
 * shift is differentiable, differentiates through C only).
 */
import type { SinkhornAttrs } from '../backend/backend.js';
import { shapeError } from '../errors.js';
import { sameBackendAndDtype } from '../ops/guard.js';
import { tensor } from '../ops/create.js';
import { Tensor } from '../tensor/tensor.js';
import { sinkhornBatchedReference } from './batched.js';
import { CONVERGED_REPORT_TOL, type ResolvedOptions } from './options.js';

export interface SinkhornBatchedT {
  /** [P, n, m]. */
  readonly plan: Tensor;
  /** [P, n], [P, m]. */
  readonly u: Tensor;
  readonly v: Tensor;
  /** [P, 2]: iterations run, last relative change of u. */
  readonly stats: Tensor;
}

export const sinkhornBatchedT = (cost: Tensor, a: Tensor, b: Tensor, o: ResolvedOptions): SinkhornBatchedT => {
  const op = 'sinkhornBatched';
  sameBackendAndDtype(op, cost, a, b);
  if (cost.rank !== 3) throw shapeError(op, 'cost must be [P, n, m]', cost.shape);
  const [count, n, m] = cost.shape;
  if (a.rank !== 2 || a.shape[0] !== count || a.shape[1] !== n) throw shapeError(op, 'a must be [P, n] for cost [P, n, m]', cost.shape, a.shape);
  if (b.rank !== 2 || b.shape[0] !== count || b.shape[1] !== m) throw shapeError(op, 'b must be [P, m] for cost [P, n, m]', cost.shape, b.shape);
  const attrs: SinkhornAttrs = { count, n, m, lambda: o.lambda, iterations: o.iterations, tolerance: o.tolerance, guard: o.guard };
  const be = cost.backend;
  const shapes = { plan: [count, n, m], u: [count, n], v: [count, m], stats: [count, 2] } as const;
  if (be.sinkhornBatched && count * n * m > 0) {
    const r = be.sinkhornBatched(cost.handle, a.handle, b.handle, attrs);
    return {
      plan: new Tensor(be, r.plan, shapes.plan),
      u: new Tensor(be, r.u, shapes.u),
      v: new Tensor(be, r.v, shapes.v),
      stats: new Tensor(be, r.stats, shapes.stats),
    };
  }
  const r = sinkhornBatchedReference(cost.toArray(), a.toArray(), b.toArray(), attrs);
  const like = { dtype: cost.dtype, backend: be };
  return {
    plan: tensor(r.plan, shapes.plan, like),
    u: tensor(r.u, shapes.u, like),
    v: tensor(r.v, shapes.v, like),
    stats: tensor(r.stats, shapes.stats, like),
  };
};

/** Per problem: iterations run and whether the stop test held (one readback of P x 2 values). */
export const readBatchStats = (stats: Tensor, tolerance: number): { iterations: number[]; converged: boolean[] } => {
  const s = stats.toArray();
  const tol = tolerance > 0 ? tolerance : CONVERGED_REPORT_TOL;
  const count = s.length / 2;
  return {
    iterations: Array.from({ length: count }, (_, k) => s[2 * k]),
    converged: Array.from({ length: count }, (_, k) => s[2 * k + 1] <= tol),
  };
};
