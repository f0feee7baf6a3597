/** valueAndGrad over a named parameter tree: gradients come back keyed like the parameters. */
import { valueAndGrad } from '../autograd/grad.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamTree } from '../nn/tree.js';

export const valueAndGradTree = <A extends { loss: Tensor }>(params: ParamTree, f: () => A): { out: A; grads: Map<string, Tensor> } => {
  const names = [...params.keys()];
  const { out, grads } = valueAndGrad([...params.values()], f);
  return { out, grads: new Map(names.map((n, i) => [n, grads[i]])) };
};
