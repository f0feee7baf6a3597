import { describe, expect, it } from 'vitest';
import { synthesizeInMemory } from './synthesize.js';

describe('synthesizeInMemory', () => {
  it('default scale renders quickly and deterministically', () => {
    const t0 = performance.now();
    const a = synthesizeInMemory({ seed: 1 });
    const ms = performance.now() - t0;
    console.log(`synthesizeInMemory default (48 x 40, 64x64): ${ms.toFixed(0)} ms`);
    expect(a.records.length).toBe(48 * 40);
    const b = synthesizeInMemory({ seed: 1, identities: 2, heldOut: 1, frames: 40 });
    expect(Buffer.from(b.rgba).equals(Buffer.from(a.rgba.subarray(0, b.rgba.length)))).toBe(true);
  });
});
