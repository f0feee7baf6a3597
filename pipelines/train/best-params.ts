/**
 * Early stopping's memory: the best parameters and model state seen so far, kept as host copies
 * (a device buffer per parameter would double the model's device memory for the whole run), and
 * put back as tensors on the run's backend at the end.
 */
import * as T from '../../lib/ops/index.js';
import type { Backend } from '../../lib/backend/backend.js';
import { asParameter, asState } from '../../lib/nn/tree.js';
import type { Tensor } from '../../lib/tensor/tensor.js';

type HostTree = Map<string, { readonly data: Float32Array | Float64Array; readonly shape: readonly number[] }>;

export interface BestSoFar {
  readonly step: number;
  readonly score: number;
  readonly params: HostTree;
  readonly state: HostTree;
}

const hostCopy = (tree: ReadonlyMap<string, Tensor>): HostTree =>
  new Map([...tree].map(([k, t]) => [k, { data: t.toArray() as Float32Array | Float64Array, shape: t.shape }]));

/** `best`, or this step's parameters if their (finite) score beats it. */
export const keepBest = (
  best: BestSoFar | null,
  step: number,
  score: number,
  params: ReadonlyMap<string, Tensor>,
  state: ReadonlyMap<string, Tensor>,
): BestSoFar | null => (Number.isFinite(score) && (!best || score > best.score) ? { step, score, params: hostCopy(params), state: hostCopy(state) } : best);

const restore = (tree: Map<string, Tensor>, saved: HostTree, leaf: (t: Tensor) => Tensor, backend: Backend): Map<string, Tensor> => {
  const next = new Map([...saved].map(([k, v]) => [k, leaf(T.tensor(v.data, v.shape, { dtype: tree.get(k)!.dtype, backend }))]));
  for (const t of tree.values()) t.dispose();
  return next;
};

/** The kept parameters and state as tensors, in the dtypes of the current ones (which are released). */
export const restoreBest = (
  best: BestSoFar,
  params: Map<string, Tensor>,
  state: Map<string, Tensor>,
  backend: Backend,
): { params: Map<string, Tensor>; state: Map<string, Tensor> } => ({
  params: restore(params, best.params, asParameter, backend),
  state: restore(state, best.state, asState, backend),
});
