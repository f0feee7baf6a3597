/**
 * P x K identity-aware batches: each batch holds P distinct identities with K images each, so
 * ELIM's grouping stage always finds several identities with several samples to match.
 *
 * Coverage is balanced: identities come from a shuffled queue refilled when empty (every
 * identity appears once before any appears twice), and each identity's images from its own
 * shuffled queue (every image is used before one is reused). Identities with fewer than K
 * images are either filled up by sampling their images with replacement ('replace', the
 * default: small identities still take part, with repeats) or left out ('skip', reported in
 * `skippedIdentities`).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Rng } from '../../lib/rng/rng.js';
import { dataError, type DataError } from './data-error.js';

export interface IdentitySamplerOptions {
  readonly identitiesPerBatch: number; // P
  readonly imagesPerIdentity: number; // K
  readonly shortIdentities?: 'replace' | 'skip';
}

export interface IdentitySampler {
  /** Indices into the records for one batch, P*K long, grouped by identity (K consecutive per identity). */
  next(): number[];
  /** Batches that use about every image once: floor(usable images / (P*K)), at least 1. */
  readonly batchesPerEpoch: number;
  readonly skippedIdentities: readonly string[];
}

export const identitySampler = (identities: readonly string[], o: IdentitySamplerOptions, rng: Rng): E.Either<DataError, IdentitySampler> => {
  const P = o.identitiesPerBatch,
    K = o.imagesPerIdentity;
  if (!(P >= 1 && K >= 1)) return E.left(dataError('OutOfRange', '<sampler>', `P and K must be >= 1, got ${P}, ${K}`));
  const groups = new Map<string, number[]>();
  identities.forEach((id, i) => {
    const g = groups.get(id);
    if (g) g.push(i);
    else groups.set(id, [i]);
  });
  const skipped: string[] = [];
  const keys = [...groups.keys()].sort().filter((k) => {
    if (o.shortIdentities === 'skip' && groups.get(k)!.length < K) {
      skipped.push(k);
      return false;
    }
    return true;
  });
  if (keys.length < P)
    return E.left(
      dataError(
        'EmptyIdentity',
        '<sampler>',
        `${keys.length} usable identities, fewer than P = ${P}${skipped.length ? ` (${skipped.length} with fewer than K = ${K} images skipped)` : ''}`,
      ),
    );
  const usable = keys.reduce((s, k) => s + groups.get(k)!.length, 0);

  let idQueue: string[] = [];
  const imageQueues = new Map<string, number[]>();
  const nextIdentities = (): string[] => {
    const picked: string[] = [];
    while (picked.length < P) idQueue = takeFresh(idQueue, () => rng.shuffle(keys), picked);
    return picked;
  };
  const imagesOf = (k: string): number[] => {
    const all = groups.get(k)!;
    if (all.length < K) return Array.from({ length: K }, () => all[rng.int(all.length)]);
    const out: number[] = [];
    let q = imageQueues.get(k) ?? [];
    while (out.length < K) q = takeFresh(q, () => rng.shuffle(all), out);
    imageQueues.set(k, q);
    return out;
  };
  return E.right({
    next: () => nextIdentities().flatMap(imagesOf),
    batchesPerEpoch: Math.max(1, Math.floor(usable / (P * K))),
    skippedIdentities: skipped,
  });
};

/** Plain batches over 0..n-1 (shuffled when an Rng is given) for evaluation or identity-blind training. */
export const plainBatches = (n: number, batchSize: number, rng?: Rng): number[][] => {
  const order = rng ? rng.shuffle(Array.from({ length: n }, (_, i) => i)) : Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
};

/**
 * Moves the last queue item not already in `picked` into `picked`, refilling the queue (new
 * items in front, so leftovers go first) when none is usable; returns the new queue.
 * Terminates because a refill holds every candidate and `picked` is smaller than that set.
 */
const takeFresh = <T>(queue: T[], refill: () => T[], picked: T[]): T[] => {
  for (;;) {
    for (let i = queue.length - 1; i >= 0; i--) {
      if (!picked.includes(queue[i])) {
        picked.push(queue[i]);
        return [...queue.slice(0, i), ...queue.slice(i + 1)];
      }
    }
    queue = [...refill(), ...queue];
  }
};
