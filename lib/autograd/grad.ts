/**
 * Reverse-mode differentiation over the recorded tape: a topological walk from the output,
 * each node's input cotangents computed by the one rule for its op in VJP_TABLE and summed
 * into its inputs. Gradients are not themselves recorded (first-order only).
 */
import { EngineError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { scope } from '../tensor/scope.js';
import { noGrad } from './tape.js';
import { VJP_TABLE } from './vjp-table.js';
import { add, onesLike } from '../ops/index.js';

const topoOrder = (root: Tensor): Tensor[] => {
  const order: Tensor[] = [];
  const seen = new Set<number>();
  // iterative DFS: deep nets would overflow the JS stack with recursion
  const stack: Array<[Tensor, boolean]> = [[root, false]];
  while (stack.length) {
    const [t, done] = stack.pop()!;
    if (done) {
      order.push(t);
      continue;
    }
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    stack.push([t, true]);
    for (const i of t.node?.inputs ?? []) if (i.tracksGrad && !seen.has(i.id)) stack.push([i, false]);
  }
  return order.reverse();
};

/**
 * d output / d wrt for a scalar output (or a given cotangent `seed` of the output's shape).
 * A `wrt` tensor that the output does not depend on gets a zero gradient.
 */
export const grad = (output: Tensor, wrt: readonly Tensor[], seed?: Tensor): Tensor[] =>
  noGrad(() => {
    if (!seed && output.size !== 1)
      throw new EngineError('ShapeError', 'grad', `output must be a scalar without a seed cotangent, got ${fmtShape(output.shape)}`);
    const grads = new Map<number, Tensor>();
    grads.set(output.id, seed ?? onesLike(output));
    for (const t of topoOrder(output)) {
      const g = grads.get(t.id);
      if (!g || !t.node) continue;
      const rule = VJP_TABLE[t.node.op];
      if (!rule) throw new EngineError('ArgumentError', 'grad', `no gradient rule for op '${t.node.op}'`);
      const inputGrads = rule(g, t.node, t);
      t.node.inputs.forEach((inp, i) => {
        const gi = inputGrads[i];
        if (!gi || !inp.tracksGrad) return;
        if (gi.shape.length !== inp.shape.length || gi.shape.some((d, k) => d !== inp.shape[k])) {
          throw new EngineError(
            'ShapeError',
            'grad',
            `rule for '${t.node!.op}' gave input ${i} a gradient of shape ${fmtShape(gi.shape)}, expected ${fmtShape(inp.shape)}`,
          );
        }
        const prev = grads.get(inp.id);
        grads.set(inp.id, prev ? add(prev, gi) : gi);
      });
    }
    return wrt.map((w) => grads.get(w.id) ?? zerosFor(w));
  });

const zerosFor = (w: Tensor): Tensor => onesLike(w, 0);

/**
 * Runs f inside a scope, differentiates its scalar result with respect to `params`, and
 * returns the value and gradients (everything else f created is released).
 */
export const valueAndGrad = <A extends { loss: Tensor }>(params: readonly Tensor[], f: () => A): { out: A; grads: Tensor[] } =>
  scope(() => {
    const out = f();
    const grads = grad(out.loss, params);
    return { out, grads };
  });
