/**
 * Explicit memory scopes. `scope(fn)` runs fn; every tensor created inside that is not part
 * of fn's result (found by walking arrays, plain objects, Maps) is released when fn returns,
 * and the tensors it returns move to the enclosing scope. Tensors created outside any scope
 * (parameters, long-lived state) are never released implicitly: call `dispose()`.
 * The tape's nodes live exactly as long as the scope that recorded them, so a backward pass
 * must run inside the scope of its forward pass (that is what `valueAndGrad` does).
 */
import type { Tensor } from './tensor.js';

const stack: Set<Tensor>[] = [];

export const track = (t: Tensor): void => {
  stack[stack.length - 1]?.add(t);
};

/** Tensors reachable from a value (arrays, plain objects, Maps, nested). */
export const collectTensors = (value: unknown, into = new Set<Tensor>()): Set<Tensor> => {
  if (value === null || typeof value !== 'object') return into;
  if (isTensor(value)) {
    into.add(value);
    return into;
  }
  if (Array.isArray(value)) for (const v of value) collectTensors(v, into);
  else if (value instanceof Map) for (const v of value.values()) collectTensors(v, into);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collectTensors(v, into);
  return into;
};

const isTensor = (v: object): v is Tensor => 'handle' in v && 'shape' in v && 'backend' in v && typeof (v as Tensor).dispose === 'function';

/** Runs fn and releases what it created but did not return. */
export const scope = <A>(fn: () => A): A => {
  const mine = new Set<Tensor>();
  stack.push(mine);
  let result: A;
  try {
    result = fn();
  } catch (err) {
    stack.pop();
    for (const t of mine) t.dispose();
    throw err;
  }
  stack.pop();
  const kept = collectTensors(result);
  const parent = stack[stack.length - 1];
  for (const t of mine) {
    if (kept.has(t)) {
      t.node = null; // its inputs are about to be released: a kept result is a fresh leaf
      parent?.add(t);
    } else t.dispose();
  }
  return result;
};

/** Keeps a tensor alive past the current scope (moves it out of every scope). */
export const keep = <T extends Tensor>(t: T): T => {
  for (const s of stack) s.delete(t);
  return t;
};

export const scopeDepth = () => stack.length;
