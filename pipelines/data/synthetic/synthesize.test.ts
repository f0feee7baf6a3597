import { describe, expect, it } from 'vitest';
import { inMemoryNCHW, synthesizeInMemory } from './synthesize.js';

describe('synthesizeInMemory', () => {
  const ds = synthesizeInMemory({ seed: 1, identities: 6, heldOut: 2, frames: 30 });

  it('is seeded, and identity k does not depend on how many identities are drawn', () => {
    const small = synthesizeInMemory({ seed: 1, identities: 2, heldOut: 1, frames: 30 });
    expect(Buffer.from(small.rgba).equals(Buffer.from(ds.rgba.subarray(0, small.rgba.length)))).toBe(true);
    const other = synthesizeInMemory({ seed: 2, identities: 2, heldOut: 1, frames: 30 });
    expect(Buffer.from(other.rgba).equals(Buffer.from(small.rgba))).toBe(false);
  });

  it('gives each identity a narrow personal VA region and a held-out set', () => {
    expect(ds.trainIdentities).toEqual(['id000', 'id001', 'id002', 'id003']);
    expect(ds.heldOutIdentities).toEqual(['id004', 'id005']);
    for (const id of ds.identities) {
      const va = ds.records.filter((r) => r.identity === id.name);
      const mean = va.reduce((s, r) => s + r.valence, 0) / va.length;
      const sd = Math.sqrt(va.reduce((s, r) => s + (r.valence - mean) ** 2, 0) / va.length);
      expect(sd).toBeLessThan(0.35);
      va.forEach((r) => { expect(Math.abs(r.valence)).toBeLessThanOrEqual(1); expect(Math.abs(r.arousal)).toBeLessThanOrEqual(1); });
    }
    // consecutive frames move smoothly (a walk, not independent draws)
    const a = ds.records.filter((r) => r.identity === 'id000');
    const step = a.slice(1).reduce((s, r, i) => s + Math.abs(r.valence - a[i].valence), 0) / (a.length - 1);
    expect(step).toBeLessThan(0.15);
  });

  it('renders faces, not blank frames; NCHW export in [0, 1]', () => {
    const x = inMemoryNCHW(ds, [0, 1]);
    expect(x.length).toBe(2 * 3 * 64 * 64);
    let min = 1, max = 0;
    for (const v of x) { min = Math.min(min, v); max = Math.max(max, v); }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5);
    expect(ds.landmarks[0]).toHaveLength(68);
  });
});
