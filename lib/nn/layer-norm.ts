/** LayerNorm over the last axis (MLP-Mixer, attention): (x - mean) / sqrt(var + eps) * gamma + beta, biased variance. */
import * as T from '../ops/index.js';
import { shapeError } from '../errors.js';
import { constant } from './init.js';
import type { Module } from './module.js';

export const layerNorm = (dim: number, eps = 1e-5): Module => ({
  kind: `LayerNorm(${dim})`,
  params: [
    { name: 'weight', shape: [dim], init: constant(1) },
    { name: 'bias', shape: [dim], init: constant(0) },
  ],
  state: [],
  apply: (p, state, x) => {
    if (x.shape[x.rank - 1] !== dim) throw shapeError(`LayerNorm(${dim})`, `expects last axis ${dim}`, x.shape);
    const mean = T.mean(x, -1, true);
    const variance = T.variance(x, -1, true);
    const xhat = T.div(T.sub(x, mean), T.sqrt(T.add(variance, eps)));
    return { y: T.add(T.mul(xhat, p.get('weight')!), p.get('bias')!), state };
  },
});
