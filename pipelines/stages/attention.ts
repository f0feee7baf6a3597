/**
 * Stage `attention` — ELIM-Attention (appendix §4.3): a learned matching that replaces the
 * Sinkhorn shift. Per ID set a multi-head self-attention layer (shared by anchor and targets),
 * then cross-attention with the target set as queries and the anchor set as keys/values, then
 * a Linear(width, 1) giving one weight per target sample: a size-m vector used exactly where
 * the OT shift mu would be (normalize stage, ShiftSource 'Weights'). Trained jointly with the
 * projector through L_main.
 *
 * Size at d = 64, 4 heads: 2 x (4 x 64 x 64 + 4 x 64) + 65 = 33,345 parameters (< 100K, the
 * appendix's bound). With `attention.width` != d an input Linear(d, width) is added.
 * With `detachShift` (default) the block reads detached features: its own parameters still
 * learn, but the encoder gets no gradient through the shift, as with the Sinkhorn shift.
 */
import * as T from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { attentionParams, multiHeadAttention } from '../../lib/nn/attention.js';
import { linearForward, linearParams } from '../../lib/nn/linear.js';
import { prefixSpecs, type Module } from '../../lib/nn/module.js';
import { subtree, type ParamTree } from '../../lib/nn/tree.js';
import type { AttentionConfig } from '../config.js';
import { engineStage, type Stage } from './stage.js';

export interface MatcherSpec {
  readonly dim: number;
  readonly width: number;
  readonly heads: number;
}

export const matcherSpec = (dim: number, c: AttentionConfig): MatcherSpec => ({ dim, width: c.width ?? dim, heads: c.heads });

/** The parameter list as a lib/nn Module (so initModule, optimisers and checkpoints apply). `apply` is unused: call `matchWeights`. */
export const attentionMatcher = (s: MatcherSpec): Module => ({
  kind: `ElimAttention(d=${s.dim}, width=${s.width}, heads=${s.heads})`,
  params: [
    ...(s.width !== s.dim ? prefixSpecs('in', linearParams(s.dim, s.width, { init: 'xavier' })) : []),
    ...prefixSpecs('self', attentionParams({ dim: s.width, heads: s.heads })),
    ...prefixSpecs('cross', attentionParams({ dim: s.width, heads: s.heads })),
    ...prefixSpecs('fc', linearParams(s.width, 1, { init: 'xavier' })),
  ],
  state: [],
  apply: (_p, state, x) => ({ y: x, state }),
});

const embed = (p: ParamTree, s: MatcherSpec, x: Tensor): Tensor => {
  const h = s.width !== s.dim ? linearForward(p.get('in.weight')!, p.get('in.bias'), x) : x;
  return T.reshape(h, [1, x.shape[0], s.width]);
};

/** One weight per target row: anchor [n, d], target [m, d] -> [m]. */
export const matchWeights = (p: ParamTree, s: MatcherSpec, anchor: Tensor, target: Tensor): Tensor => {
  const selfP = subtree(p, 'self');
  const o = { dim: s.width, heads: s.heads };
  const ea = embed(p, s, anchor);
  const et = embed(p, s, target);
  const sa = multiHeadAttention(selfP, o, ea, ea, ea).y;
  const st = multiHeadAttention(selfP, o, et, et, et).y;
  const cross = multiHeadAttention(subtree(p, 'cross'), o, st, sa, sa).y; // [1, m, width]
  const w = linearForward(p.get('fc.weight')!, p.get('fc.bias'), T.reshape(cross, [target.shape[0], s.width]));
  return T.reshape(w, [target.shape[0]]);
};

export interface AttentionInput {
  readonly z: Tensor;
  readonly anchor: readonly number[];
  readonly targets: ReadonlyArray<readonly number[]>;
  readonly params: ParamTree;
}

export interface AttentionOutput {
  /** Weights for every target row, targets in order, [M]. */
  readonly mu: Tensor;
}

export const attention: Stage<AttentionInput, AttentionOutput> = engineStage('attention', ({ z, anchor, targets, params }, env) => {
  const s = matcherSpec(z.shape[1], env.config.attention);
  const src = env.config.detachShift ? T.detach(z) : z;
  const za = T.gather(src, anchor);
  const parts = targets.map((idx) => matchWeights(params, s, za, T.gather(src, idx)));
  return { mu: parts.length === 1 ? parts[0] : T.concat(parts, 0) };
});
