/**
 * Multi-head attention (Vaswani et al.), as used by ELIM-Attention: self-attention within an ID
 * set and cross-attention from the anchor set to a target set. Separate q/k/v/out projections
 * (`q_proj`, `k_proj`, `v_proj`, `out_proj`, each a Linear with bias).
 * query [B, Lq, E], key/value [B, Lk, E] -> [B, Lq, E]; softmax(q k^T / sqrt(E/H)) v per head.
 */
import { EngineError, shapeError } from '../errors.js';
import * as T from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { linearForward, linearParams } from './linear.js';
import { prefixSpecs, type Module, type TensorSpec } from './module.js';
import type { ParamTree } from './tree.js';

export interface AttentionOptions {
  readonly dim: number;
  readonly heads: number;
  /** Feature size of key/value inputs when it differs from dim. */
  readonly kvDim?: number;
}

export const attentionParams = (o: AttentionOptions): TensorSpec[] => {
  if (o.dim % o.heads !== 0) throw new EngineError('ArgumentError', 'MultiHeadAttention', `dim ${o.dim} is not divisible by ${o.heads} heads`);
  const kv = o.kvDim ?? o.dim;
  return [
    ...prefixSpecs('q_proj', linearParams(o.dim, o.dim, { init: 'xavier' })),
    ...prefixSpecs('k_proj', linearParams(kv, o.dim, { init: 'xavier' })),
    ...prefixSpecs('v_proj', linearParams(kv, o.dim, { init: 'xavier' })),
    ...prefixSpecs('out_proj', linearParams(o.dim, o.dim, { init: 'xavier' })),
  ];
};

const proj = (p: ParamTree, name: string, x: Tensor) => linearForward(p.get(`${name}.weight`)!, p.get(`${name}.bias`), x);

/** [B, L, E] -> [B*H, L, E/H] */
const splitHeads = (x: Tensor, heads: number): Tensor => {
  const [b, l, e] = x.shape;
  return T.reshape(T.permute(T.reshape(x, [b, l, heads, e / heads]), [0, 2, 1, 3]), [b * heads, l, e / heads]);
};

/** Returns the output and the attention weights [B, H, Lq, Lk]. */
export const multiHeadAttention = (p: ParamTree, o: AttentionOptions, query: Tensor, key: Tensor, value: Tensor): { y: Tensor; weights: Tensor } => {
  if (query.rank !== 3 || key.rank !== 3 || value.rank !== 3 || key.shape[0] !== query.shape[0] || key.shape[1] !== value.shape[1]) {
    throw shapeError('MultiHeadAttention', 'expects query [B, Lq, E] and key/value [B, Lk, E]', query.shape, key.shape, value.shape);
  }
  const [b, lq] = query.shape;
  const lk = key.shape[1];
  const h = o.heads;
  const dh = o.dim / h;
  const q = splitHeads(proj(p, 'q_proj', query), h);
  const k = splitHeads(proj(p, 'k_proj', key), h);
  const v = splitHeads(proj(p, 'v_proj', value), h);
  const scores = T.mul(T.matmul(q, k, { transB: true }), 1 / Math.sqrt(dh)); // [B*H, Lq, Lk]
  const w = T.softmax(scores, -1);
  const ctx = T.matmul(w, v); // [B*H, Lq, dh]
  const merged = T.reshape(T.permute(T.reshape(ctx, [b, h, lq, dh]), [0, 2, 1, 3]), [b, lq, o.dim]);
  return { y: proj(p, 'out_proj', merged), weights: T.reshape(w, [b, h, lq, lk]) };
};

/** Self-attention as a Module (x [B, L, E] -> [B, L, E]). Cross-attention: call multiHeadAttention. */
export const selfAttention = (o: AttentionOptions): Module => ({
  kind: `MultiHeadAttention(${o.dim}, heads=${o.heads})`,
  params: attentionParams(o),
  state: [],
  apply: (p, state, x) => ({ y: multiHeadAttention(p, o, x, x, x).y, state }),
});
