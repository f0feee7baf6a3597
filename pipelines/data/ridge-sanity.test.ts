import { describe, expect, it } from 'vitest';
import { synthesizeInMemory } from './synthetic/synthesize.js';
import { ccc, ridgeShortcutCheck } from './ridge-sanity.js';

describe('ridge shortcut sanity check on the synthetic benchmark', () => {
  it('ccc is 1 on equal series and below on shifted ones', () => {
    expect(ccc([1, 2, 3], [1, 2, 3])).toBeCloseTo(1, 12);
    expect(ccc([1, 2, 3], [2, 3, 4])).toBeLessThan(1);
  });

  it('pixels predict VA far better on training identities than on held-out identities', () => {
    const ds = synthesizeInMemory({ seed: 7 });
    const t0 = performance.now();
    const r = ridgeShortcutCheck(ds, { side: 16, lambda: 1 });
    console.log(
      `ridge (16x16 RGB, lambda 1, ${(performance.now() - t0).toFixed(0)} ms) CCC v/a: fitted ${r.fitted.valence.toFixed(3)}/${r.fitted.arousal.toFixed(3)}, ` +
        `train ids later frames ${r.trainIdentitiesLaterFrames.valence.toFixed(3)}/${r.trainIdentitiesLaterFrames.arousal.toFixed(3)}, ` +
        `held-out ids ${r.heldOutIdentities.valence.toFixed(3)}/${r.heldOutIdentities.arousal.toFixed(3)}`,
    );
    const mean = (a: { valence: number; arousal: number }) => (a.valence + a.arousal) / 2;
    expect(mean(r.trainIdentitiesLaterFrames)).toBeGreaterThan(mean(r.heldOutIdentities) + 0.2);
  });
});

describe('ridge with identity centring (issue #15)', () => {
  it('removes what identity explains: on the label-shift benchmark the training-identity fit collapses towards the held-out level', () => {
    const ds = synthesizeInMemory({ seed: 3, identities: 16, heldOut: 4, frames: 20, size: 32 });
    const plain = ridgeShortcutCheck(ds, { side: 8, lambda: 1 });
    const centred = ridgeShortcutCheck(ds, { side: 8, lambda: 1, centreByIdentity: true });
    const m = (a: { valence: number; arousal: number }) => (a.valence + a.arousal) / 2;
    // narrow personal bands: identity predicts the label, so the uncentred read-out scores far higher on training identities' later frames
    expect(m(plain.trainIdentitiesLaterFrames)).toBeGreaterThan(m(centred.trainIdentitiesLaterFrames) + 0.2);
    for (const v of [centred.fitted, centred.trainIdentitiesLaterFrames, centred.heldOutIdentities]) {
      expect(Number.isFinite(v.valence)).toBe(true);
      expect(Number.isFinite(v.arousal)).toBe(true);
    }
  });
});
