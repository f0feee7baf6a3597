import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';
import { Rng } from '../../lib/rng/rng.js';
import { DEFAULT_CONFIG } from '../config.js';
import { anchorLatents, groupByIdentity, matchToAnchor } from './identity-matching.js';

useBackend(createCpuBackend({ threads: 1 }));
const d = 6;
const rng = Rng.fromSeed(21);
const cloud = (n: number, offset: readonly number[]) => Float32Array.from({ length: n * d }, (_, i) => 1 + 0.3 * rng.normal() + offset[i % d]);
const mean = (z: Float32Array, rows: readonly number[]) => Array.from({ length: d }, (_, k) => rows.reduce((s, r) => s + z[r * d + k], 0) / rows.length);
const dist = (a: number[], b: number[]) => Math.hypot(...a.map((x, k) => x - b[k]));

describe('test-time identity matching', () => {
  const anchorData = cloud(40, [0, 0, 0, 0, 0, 0]);
  const anchor = { dim: d, rows: 40, data: anchorData };
  // two new people: the same kind of cloud, each moved by its own offset
  const offA = [0.8, -0.5, 0.3, 0, 0.6, -0.4],
    offB = [-0.6, 0.4, 0, 0.7, -0.5, 0.2];
  const za = cloud(20, offA),
    zb = cloud(20, offB);
  const latents = new Float32Array(40 * d);
  latents.set(za, 0);
  latents.set(zb, 20 * d);
  const ids = [...Array(20).fill('A'), ...Array(20).fill('B')];
  const rowsA = Array.from({ length: 20 }, (_, i) => i),
    rowsB = rowsA.map((i) => i + 20);

  const matched = matchToAnchor(latents, ids, anchor, DEFAULT_CONFIG.transport);
  if (E.isLeft(matched)) throw new Error('matching failed');
  const z = matched.right;

  it('subtracts one displacement per identity: differences within an identity are kept', () => {
    for (const rows of [rowsA, rowsB]) {
      const shift = Array.from({ length: d }, (_, k) => latents[rows[0] * d + k] - z[rows[0] * d + k]);
      for (const r of rows) for (let k = 0; k < d; k++) expect(latents[r * d + k] - z[r * d + k]).toBeCloseTo(shift[k], 5);
    }
  });

  it('moves each identity onto the anchor: identity means end closer to the anchor and to each other', () => {
    const ma = mean(
      anchorData,
      Array.from({ length: 40 }, (_, i) => i),
    );
    for (const rows of [rowsA, rowsB]) expect(dist(mean(z, rows), ma)).toBeLessThan(0.5 * dist(mean(latents, rows), ma));
    expect(dist(mean(z, rowsA), mean(z, rowsB))).toBeLessThan(0.5 * dist(mean(latents, rowsA), mean(latents, rowsB)));
  });

  it('an identity that is the anchor itself is (almost) not moved', () => {
    const self = matchToAnchor(anchorData, Array(40).fill('S'), anchor, DEFAULT_CONFIG.transport);
    if (E.isLeft(self)) throw new Error('matching failed');
    for (let i = 0; i < anchorData.length; i++) expect(Math.abs(self.right[i] - anchorData[i])).toBeLessThan(0.02);
  });

  it('anchorLatents takes evenly spaced rows of every identity', () => {
    const lat = Float32Array.from({ length: 10 * 2 }, (_, i) => i);
    const a = anchorLatents(lat, ['x', 'x', 'x', 'x', 'y', 'y', 'x', 'x', 'y', 'x'], 2, 3);
    expect(groupByIdentity(['x', 'y', 'x']).get('x')).toEqual([0, 2]);
    // x rows [0,1,2,3,6,7,9] -> indices 0, 2, 4 of them: 0, 2, 6; y rows [4,5,8] -> all
    expect(a.rows).toBe(6);
    expect(Array.from(a.data)).toEqual([0, 1, 4, 5, 12, 13, 8, 9, 10, 11, 16, 17]);
  });
});
