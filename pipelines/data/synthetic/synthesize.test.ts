import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { BandName, StyleName } from './face-model.js';
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
      va.forEach((r) => {
        expect(Math.abs(r.valence)).toBeLessThanOrEqual(1);
        expect(Math.abs(r.arousal)).toBeLessThanOrEqual(1);
      });
    }
    // consecutive frames move smoothly (a walk, not independent draws)
    const a = ds.records.filter((r) => r.identity === 'id000');
    const step = a.slice(1).reduce((s, r, i) => s + Math.abs(r.valence - a[i].valence), 0) / (a.length - 1);
    expect(step).toBeLessThan(0.15);
  });

  it('renders faces, not blank frames; NCHW export in [0, 1]', () => {
    const x = inMemoryNCHW(ds, [0, 1]);
    expect(x.length).toBe(2 * 3 * 64 * 64);
    let min = 1,
      max = 0;
    for (const v of x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
    expect(max - min).toBeGreaterThan(0.5);
    expect(ds.landmarks[0]).toHaveLength(68);
  });
});

describe('benchmark regimes (band x style)', () => {
  const base = { seed: 4, identities: 5, heldOut: 1, frames: 6, size: 32 } as const;
  const digest = (d: ReturnType<typeof synthesizeInMemory>) => createHash('sha256').update(d.rgba).update(JSON.stringify(d.frames)).digest('hex');

  it('the default regime (narrow, mild) is the previous benchmark bit for bit', () => {
    // sha256 of the frames and labels of this draw, taken before regimes existed (commit a6bf1e8)
    const want = 'd4138b2f2c731966195629226521eaa63c7b24dc9ae31839d121b0b2f493075c';
    expect(digest(synthesizeInMemory(base))).toBe(want);
    expect(digest(synthesizeInMemory({ ...base, band: 'narrow', style: 'mild' }))).toBe(want);
  });

  const N = 30;
  const many = (band: BandName, style: StyleName) => synthesizeInMemory({ seed: 9, identities: N, heldOut: 4, frames: 20, size: 16, band, style });
  const identityMeans = (d: ReturnType<typeof synthesizeInMemory>) =>
    d.identities.map((id) => {
      const fr = d.frames.filter((f) => f.identity === id.name);
      return [0, 1].map((a) => fr.reduce((s, f) => s + f.va[a], 0) / fr.length);
    });
  const sd = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  };

  it('band: disc removes the label shift (every identity has the same centre), narrow keeps it', () => {
    const disc = many('disc', 'mild'),
      narrow = many('narrow', 'mild'),
      wide = many('wide', 'mild');
    for (const id of disc.identities) expect(id.profile.centre.every((c) => c === 0)).toBe(true);
    // spread of identity means of valence: identity predicts the label under narrow, much less under wide, least under disc
    const between = (d: typeof disc) => sd(identityMeans(d).map((m) => m[0]));
    expect(between(narrow)).toBeGreaterThan(0.3);
    expect(between(wide)).toBeLessThan(between(narrow));
    expect(between(disc)).toBeLessThan(0.6 * between(narrow));
    // identities look the same in every regime (appearance streams untouched)
    expect(disc.identities.map((i) => i.appearance)).toEqual(narrow.identities.map((i) => i.appearance));
  });

  it('style: none shows exactly what is felt; strong spreads resting offsets ~3x wider than mild', () => {
    const none = many('disc', 'none'),
      mild = many('disc', 'mild'),
      strong = many('disc', 'strong');
    for (const f of none.frames) expect(f.shown).toEqual(f.va.map((x) => Math.max(-1, Math.min(1, x))));
    for (const id of none.identities) expect(id.style).toEqual({ gain: 1, offset: [0, 0] });
    const offSd = (d: typeof none) => sd(d.identities.map((i) => i.style.offset[0]));
    expect(offSd(strong)).toBeGreaterThan(2 * offSd(mild));
    const gains = strong.identities.map((i) => i.style.gain);
    expect(Math.min(...gains)).toBeGreaterThanOrEqual(0.4);
    expect(Math.max(...gains)).toBeLessThanOrEqual(1.6);
    // the felt labels do not depend on the style
    expect(strong.frames.map((f) => f.va)).toEqual(none.frames.map((f) => f.va));
  });

  it('refuses an unknown regime name', () => {
    expect(() => synthesizeInMemory({ ...base, band: 'huge' as BandName })).toThrow(RangeError);
  });
});
