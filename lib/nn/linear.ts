/** Fully connected layer, PyTorch layout: weight [out, in], y = x W^T + b over the last axis. */
import * as T from '../ops/index.js';
import { shapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { torchDefault, weightInit, type WeightInit } from './init.js';
import type { Module, TensorSpec } from './module.js';

export interface LinearOptions {
  readonly bias?: boolean;
  readonly init?: WeightInit;
}

export const linearParams = (inF: number, outF: number, o: LinearOptions = {}): TensorSpec[] => [
  { name: 'weight', shape: [outF, inF], init: weightInit(o.init ?? 'torch', inF, outF) },
  ...((o.bias ?? true) ? [{ name: 'bias', shape: [outF], init: o.init === 'xavier' ? { kind: 'const' as const, value: 0 } : torchDefault(inF) }] : []),
];

/** x [..., in] -> [..., out]; leading axes are flattened into one batch for a single 2-d matmul. */
export const linearForward = (w: Tensor, b: Tensor | undefined, x: Tensor): Tensor => {
  const [outF, inF] = w.shape;
  if (x.shape[x.rank - 1] !== inF) throw shapeError('Linear', `expects ${inF} input features`, x.shape, w.shape);
  const flat = x.rank === 2 ? x : T.reshape(x, [-1, inF]);
  const y = T.matmul(flat, w, { transB: true });
  const yb = b ? T.add(y, b) : y;
  return x.rank === 2 ? yb : T.reshape(yb, [...x.shape.slice(0, -1), outF]);
};

export const linear = (inF: number, outF: number, o: LinearOptions = {}): Module => ({
  kind: `Linear(${inF}, ${outF})`,
  params: linearParams(inF, outF, o),
  state: [],
  apply: (p, state, x) => ({ y: linearForward(p.get('weight')!, p.get('bias'), x), state }),
});
