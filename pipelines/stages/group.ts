/**
 * Stage `group` (appendix Alg. 2): batch positions grouped by domain key (the identity, or
 * any key such as an age group for ELIM-Age); N keys drawn at random without replacement
 * (fewer if the batch has fewer); the first drawn is the anchor, the rest are targets.
 *
 * Outcomes the training loop counts (never errors):
 * - `Grouped`: an anchor and >= 1 target.
 * - `Skipped`: no ELIM term this iteration, with the reason: an empty batch, a single domain,
 *   or (singletons 'drop') fewer than two domains with >= 2 samples.
 * A key with one sample is duplicated (`[i, i]`, the release's behaviour, config
 * `singletons: 'duplicate'`) or dropped (`'drop'`); `duplicated` counts them.
 *
 * Keys are ordered by first appearance in the batch before drawing, so the draw depends only
 * on the batch and the random stream (not on hash order).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { Singletons } from '../config.js';
import type { Stage } from './stage.js';

export type DomainKey = string | number;

export interface Group {
  readonly key: DomainKey;
  /** Batch positions of this domain's samples (a duplicated singleton lists its one position twice). */
  readonly indices: readonly number[];
  /** True if the key had one sample and was duplicated. */
  readonly duplicated: boolean;
}

export type SkipReason = 'empty-batch' | 'single-domain' | 'too-few-matchable-domains';

export type GroupOutcome =
  | { readonly _tag: 'Grouped'; readonly anchor: Group; readonly targets: readonly Group[]; readonly domainsInBatch: number; readonly duplicated: number }
  | { readonly _tag: 'Skipped'; readonly reason: SkipReason; readonly domainsInBatch: number };

export interface GroupInput {
  readonly keys: readonly DomainKey[];
  /** The stage's own random stream (see env.forkStreams). */
  readonly rng: Rng;
}

/** Key -> positions, keys in order of first appearance. */
export const indexByKey = (keys: readonly DomainKey[]): Array<{ key: DomainKey; indices: number[] }> => {
  const byKey = new Map<DomainKey, number[]>();
  keys.forEach((k, i) => {
    const list = byKey.get(k);
    if (list) list.push(i);
    else byKey.set(k, [i]);
  });
  return [...byKey].map(([key, indices]) => ({ key, indices }));
};

/** The pure grouping: keys, N, singleton policy and a stream in; outcome out. */
export const groupDomains = (keys: readonly DomainKey[], n: number, singletons: Singletons, rng: Rng): GroupOutcome => {
  const all = indexByKey(keys);
  const domainsInBatch = all.length;
  if (domainsInBatch === 0) return { _tag: 'Skipped', reason: 'empty-batch', domainsInBatch };
  if (domainsInBatch === 1) return { _tag: 'Skipped', reason: 'single-domain', domainsInBatch };
  const usable = singletons === 'drop' ? all.filter((g) => g.indices.length >= 2) : all;
  if (usable.length < 2) return { _tag: 'Skipped', reason: 'too-few-matchable-domains', domainsInBatch };
  const picked = rng.choose(usable.length, n).map((i): Group => {
    const { key, indices } = usable[i];
    return indices.length === 1 ? { key, indices: [indices[0], indices[0]], duplicated: true } : { key, indices, duplicated: false };
  });
  const [anchor, ...targets] = picked;
  return { _tag: 'Grouped', anchor, targets, domainsInBatch, duplicated: picked.filter((g) => g.duplicated).length };
};

export const group: Stage<GroupInput, GroupOutcome> =
  ({ keys, rng }) =>
  (env) =>
    E.right(groupDomains(keys, env.config.domains, env.config.singletons, rng));
