/**
 * Stage `sample` (appendix Alg. 3): which samples of each drawn domain take part.
 *
 * - 'gumbel' (default, the appendix): p_i = ||y_i|| / sum ||y||, g = softmax((log p + G) / tau)
 *   with G ~ Gumbel(0, 1), keep topk(g, k), k capped at the domain's size. This is the
 *   Gumbel-top-k trick: the kept set is a draw without replacement with probabilities
 *   proportional to p, so samples with stronger emotion are kept more often. softmax and the
 *   division by tau are monotone, so tau changes g's values but never which k win; g is
 *   returned for logging. log 0 is guarded: a zero-norm label gets log p = -1e30 (after every
 *   non-zero one, still ordered among themselves by the noise), and a domain whose labels are
 *   all zero has no preference (uniform p).
 * - 'max-filling' (release): every domain padded to the largest domain's size by repeating its
 *   last sample.
 * - 'none' (release): every sample kept.
 * Positions are within the group's `indices` (a duplicated singleton's two positions are
 * distinct even though they name one batch sample).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { Sampling } from '../config.js';
import { invalidConfig } from '../errors.js';
import type { Group } from './group.js';
import type { Stage } from './stage.js';

export interface SampledGroup extends Group {
  /** Positions kept, into the group's original `indices`, best first for 'gumbel'. */
  readonly positions: readonly number[];
  /** g over the kept positions (gumbel only; empty otherwise). */
  readonly g: readonly number[];
}

export interface SampleInput {
  readonly anchor: Group;
  readonly targets: readonly Group[];
  /** Labels, row-major B x 2 (valence, arousal), read once from the label tensor. */
  readonly labels: ArrayLike<number>;
  readonly rng: Rng;
}

export interface SampleOutput {
  readonly anchor: SampledGroup;
  readonly targets: readonly SampledGroup[];
}

const LOG_ZERO = -1e30;

/** log p_i for a group, with log 0 guarded and an all-zero group uniform. */
export const labelLogProbs = (indices: readonly number[], labels: ArrayLike<number>): number[] => {
  const norms = indices.map((i) => Math.hypot(labels[2 * i], labels[2 * i + 1]));
  const total = norms.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return norms.map(() => -Math.log(norms.length));
  return norms.map((n) => (n > 0 ? Math.log(n / total) : LOG_ZERO));
};

const softmax = (xs: readonly number[]): number[] => {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

/** Gumbel-top-k positions (best first) and g over the whole group. */
export const gumbelTopK = (logp: readonly number[], k: number, tau: number, rng: Rng): { positions: number[]; g: number[] } => {
  const scores = logp.map((lp) => (lp + rng.gumbel()) / tau);
  const g = softmax(scores);
  // ties (measure zero with continuous noise) broken by position, so the order is total
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
  return { positions: order.slice(0, Math.min(k, logp.length)), g };
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const sampleGroups = (groups: readonly Group[], labels: ArrayLike<number>, mode: Sampling, k: number, tau: number, rng: Rng): SampledGroup[] => {
  switch (mode) {
    case 'none':
      return groups.map((gr) => ({ ...gr, positions: range(gr.indices.length), g: [] }));
    case 'max-filling': {
      const size = Math.max(...groups.map((gr) => gr.indices.length));
      return groups.map((gr) => ({ ...gr, positions: range(size).map((p) => Math.min(p, gr.indices.length - 1)), g: [] }));
    }
    case 'gumbel':
      return groups.map((gr) => {
        const { positions, g } = gumbelTopK(labelLogProbs(gr.indices, labels), k, tau, rng);
        return { ...gr, positions, g: positions.map((p) => g[p]) };
      });
  }
};

/** Batch indices of a sampled group's kept samples. */
export const keptIndices = (s: SampledGroup): number[] => s.positions.map((p) => s.indices[p]);

export const sample: Stage<SampleInput, SampleOutput> =
  ({ anchor, targets, labels, rng }) =>
  (env) => {
    const { sampling, topk, tau } = env.config;
    if (!(Number.isInteger(topk) && topk >= 1)) return E.left(invalidConfig('sample', 'topk', `must be an integer >= 1, got ${topk}`));
    if (!(tau > 0)) return E.left(invalidConfig('sample', 'tau', `must be > 0, got ${tau}`));
    const [a, ...ts] = sampleGroups([anchor, ...targets], labels, sampling, topk, tau, rng);
    return E.right({ anchor: a, targets: ts });
  };
