/** 2-d convolution layer, NCHW, PyTorch layout: weight [out, in, kh, kw], bias [out]. */
import * as T from '../ops/index.js';
import type { Pair } from '../ops/conv.js';
import { torchDefault, weightInit, type WeightInit } from './init.js';
import type { EvalAffine, Module } from './module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ParamTree } from './tree.js';

export interface Conv2dOptions {
  readonly stride?: Pair;
  readonly padding?: Pair;
  readonly bias?: boolean;
  readonly init?: WeightInit;
}

const pair = (v: Pair): readonly [number, number] => (typeof v === 'number' ? [v, v] : v);

export const conv2d = (inC: number, outC: number, kernel: Pair, o: Conv2dOptions = {}): Module => {
  const [kh, kw] = pair(kernel);
  const fanIn = inC * kh * kw;
  const fanOut = outC * kh * kw;
  const bias = o.bias ?? true;
  const layer: Module = {
    kind: `Conv2d(${inC}, ${outC}, ${kh}x${kw})`,
    params: [
      { name: 'weight', shape: [outC, inC, kh, kw], init: weightInit(o.init ?? 'torch', fanIn, fanOut) },
      ...(bias ? [{ name: 'bias', shape: [outC], init: o.init === 'kaiming' ? { kind: 'const' as const, value: 0 } : torchDefault(fanIn) }] : []),
    ],
    state: [],
    apply: (p, state, x) => {
      const opts = { stride: o.stride, padding: o.padding };
      return { y: bias ? T.conv2dBiasAct(x, p.get('weight')!, p.get('bias')!, opts) : T.conv2d(x, p.get('weight')!, opts), state };
    },
  };
  // a following BatchNorm's eval-mode affine map folded in: w * scale[o], bias * scale + shift
  const applyFolded = (p: ParamTree, x: Tensor, aff: EvalAffine, act: 'none' | 'relu'): Tensor => {
    const w = T.mul(p.get('weight')!, T.reshape(aff.scale, [outC, 1, 1, 1]));
    const b = bias ? T.add(T.mul(p.get('bias')!, aff.scale), aff.shift) : aff.shift;
    return T.conv2dBiasAct(x, w, b, { stride: o.stride, padding: o.padding, activation: act });
  };
  if (!bias) return { ...layer, applyFolded };
  // bias and ReLU in the convolution's kernel (see Module.withRelu)
  const withRelu: Module = {
    ...layer,
    kind: `${layer.kind}+ReLU`,
    apply: (p, state, x) => ({ y: T.conv2dBiasAct(x, p.get('weight')!, p.get('bias')!, { stride: o.stride, padding: o.padding, activation: 'relu' }), state }),
  };
  return { ...layer, withRelu, applyFolded };
};
