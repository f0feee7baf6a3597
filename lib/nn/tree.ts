/**
 * Parameter and state trees: flat `Map<string, Tensor>` keyed by dotted names
 * (`features.0.weight`, `layer1.0.bn1.running_mean`), the names torchvision's state_dict uses,
 * so that checkpoints and imported weights line up by name. A composite module sees its
 * children's entries through `subtree` and puts their new state back with `graft`.
 */
import { keep } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';

export type ParamTree = ReadonlyMap<string, Tensor>;
export type StateTree = ReadonlyMap<string, Tensor>;

export const EMPTY: StateTree = new Map();

export const join = (prefix: string, name: string) => (prefix === '' ? name : `${prefix}.${name}`);

/** The entries under `prefix.` with the prefix removed. */
export const subtree = (tree: ReadonlyMap<string, Tensor>, prefix: string): Map<string, Tensor> => {
  const out = new Map<string, Tensor>();
  const p = `${prefix}.`;
  for (const [k, v] of tree) if (k.startsWith(p)) out.set(k.slice(p.length), v);
  return out;
};

/** `child`'s entries written into `into` under `prefix.` (returns `into`). */
export const graft = (into: Map<string, Tensor>, prefix: string, child: ReadonlyMap<string, Tensor>): Map<string, Tensor> => {
  for (const [k, v] of child) into.set(join(prefix, k), v);
  return into;
};

/** Several named trees as one (e.g. `{ encoder, projector }` for one optimiser). */
export const mergeTrees = (parts: Readonly<Record<string, ReadonlyMap<string, Tensor>>>): Map<string, Tensor> => {
  const out = new Map<string, Tensor>();
  for (const [prefix, t] of Object.entries(parts)) graft(out, prefix, t);
  return out;
};

export const disposeTree = (tree: ReadonlyMap<string, Tensor>): void => {
  for (const t of tree.values()) t.dispose();
};

/**
 * Disposes the tensors of `old` that `next` no longer holds: the one call a training loop
 * makes after a stateful apply (eval mode returns the same tensors, so nothing is freed).
 */
export const disposeReplaced = (old: ReadonlyMap<string, Tensor>, next: ReadonlyMap<string, Tensor>): void => {
  const live = new Set(next.values());
  for (const t of old.values()) if (!live.has(t)) t.dispose();
};

export const countElements = (tree: ReadonlyMap<string, Tensor>): number => {
  let n = 0;
  for (const t of tree.values()) n += t.size;
  return n;
};

/**
 * A long-lived parameter leaf holding t's data: it asks for gradients, has no tape history and
 * escapes every scope (parameters are disposed explicitly). t itself is released: the data
 * now belongs to the leaf (handles are reference counted, so this copies nothing).
 */
export const asParameter = (t: Tensor): Tensor => {
  const leaf = keep(new Tensor(t.backend, t.handle, t.shape, true));
  t.dispose();
  return leaf;
};

/** A long-lived constant (state, optimiser slots): like asParameter without gradients. */
export const asState = (t: Tensor): Tensor => {
  if (!t.requiresGrad && t.node === null) return keep(t);
  const leaf = keep(new Tensor(t.backend, t.handle, t.shape, false));
  t.dispose();
  return leaf;
};
