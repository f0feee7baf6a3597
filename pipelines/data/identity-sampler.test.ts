import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../lib/rng/rng.js';
import { identitySampler, plainBatches } from './identity-sampler.js';
import { splitByClip, splitByIdentity } from './splits.js';
import type { FaceRecord } from './face-record.js';

const ids = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'c', 'c', 'd'];

describe('identitySampler', () => {
  it('builds P x K batches of distinct identities, every image used before reuse', () => {
    const s = identitySampler(ids, { identitiesPerBatch: 2, imagesPerIdentity: 2, shortIdentities: 'skip' }, Rng.fromSeed(1));
    if (E.isLeft(s)) throw new Error(s.left.message);
    expect(s.right.skippedIdentities).toEqual(['d']);
    const seen = new Map<number, number>();
    for (let b = 0; b < 30; b++) {
      const batch = s.right.next();
      expect(batch).toHaveLength(4);
      const groups = [batch.slice(0, 2), batch.slice(2)].map((g) => g.map((i) => ids[i]));
      groups.forEach((g) => expect(new Set(g).size).toBe(1));
      expect(groups[0][0]).not.toBe(groups[1][0]);
      batch.forEach((i) => seen.set(i, (seen.get(i) ?? 0) + 1));
    }
    expect(seen.has(12)).toBe(false);
    expect(seen.size).toBe(12);
  });

  it("'replace' keeps short identities by repeating their images; too few identities is an error", () => {
    const s = identitySampler(ids, { identitiesPerBatch: 4, imagesPerIdentity: 3 }, Rng.fromSeed(2));
    if (E.isLeft(s)) throw new Error(s.left.message);
    const batch = s.right.next();
    expect(batch.filter((i) => i === 12)).toHaveLength(3);
    const bad = identitySampler(ids, { identitiesPerBatch: 4, imagesPerIdentity: 4, shortIdentities: 'skip' }, Rng.fromSeed(2));
    expect(E.isLeft(bad) && bad.left._tag).toBe('EmptyIdentity');
  });

  it('is seeded', () => {
    const run = () => {
      const s = identitySampler(ids, { identitiesPerBatch: 3, imagesPerIdentity: 2 }, Rng.fromSeed(7));
      return E.isRight(s) ? [s.right.next(), s.right.next()] : [];
    };
    expect(run()).toEqual(run());
    expect(plainBatches(5, 2)).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('splits', () => {
  const recs: FaceRecord[] = Array.from({ length: 200 }, (_, i) => ({
    source: `${i}.png`,
    valence: 0,
    arousal: 0,
    identity: `p${i % 20}`,
    clip: `p${i % 20}-c${i % 40}`,
  }));
  it('never shares an identity (or a clip) between parts', () => {
    const s = splitByIdentity(recs, { train: 0.6, validation: 0.2, test: 0.2 }, Rng.fromSeed(3));
    const names = (xs: FaceRecord[]) => new Set(xs.map((r) => r.identity));
    const [tr, va, te] = [names(s.train), names(s.validation), names(s.test)];
    expect([tr.size, va.size, te.size]).toEqual([12, 4, 4]);
    for (const n of va) expect(tr.has(n) || te.has(n)).toBe(false);
    for (const n of te) expect(tr.has(n)).toBe(false);
    expect(s.train.length + s.validation.length + s.test.length).toBe(200);
    const c = splitByClip(recs, { train: 0.5, validation: 0, test: 0.5 }, Rng.fromSeed(3));
    const clips = new Set(c.train.map((r) => r.clip));
    expect(c.test.some((r) => clips.has(r.clip))).toBe(false);
    expect(
      splitByIdentity([...recs].reverse(), { train: 0.6, validation: 0.2, test: 0.2 }, Rng.fromSeed(3))
        .test.map((r) => r.identity)
        .sort(),
    ).toEqual(s.test.map((r) => r.identity).sort());
  });
});
