/**
 * The limits module (one place for every limit): each hostile value issue #16 found is refused
 * with the field it concerns, and the values the defaults use pass.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { makeConfig } from './config.js';
import { checkEnvironment, checkModelSpec, checkRunShape, checkSeed, checkSeedList, checkSynthShape, LIMITS, maxThreads } from './limits.js';

const model = { backbone: 'al64', inputSize: 32, width: 0.25, hidden: 64, latent: 32, dropout: 0.2 } as const;
const field = <A>(r: E.Either<{ field: string; message: string }, A>) => (E.isLeft(r) ? r.left.field : 'accepted');

describe('checkModelSpec', () => {
  it('accepts the default model and each backbone at a size it can take', () => {
    expect(field(checkModelSpec(model))).toBe('accepted');
    expect(field(checkModelSpec({ ...model, backbone: 'alexnet', inputSize: 64 }))).toBe('accepted');
    expect(field(checkModelSpec({ ...model, backbone: 'resnet18', inputSize: 20 }))).toBe('accepted');
    expect(field(checkModelSpec({ ...model, backbone: 'mixer', inputSize: 32 }))).toBe('accepted');
  });
  it('refuses a backbone at an input size it cannot take, before anything is built', () => {
    const r = checkModelSpec({ ...model, backbone: 'alexnet', inputSize: 32 });
    expect(field(r)).toBe('input-size');
    expect(E.isLeft(r) && r.left.message).toMatch(/alexnet needs at least 63/);
    expect(field(checkModelSpec({ ...model, inputSize: 36 }))).toBe('input-size');
    expect(field(checkModelSpec({ ...model, backbone: 'mixer', inputSize: 36 }))).toBe('input-size');
  });
  it('refuses metadata a damaged or foreign checkpoint could carry', () => {
    expect(field(checkModelSpec({ ...model, width: 1000 }))).toBe('width');
    expect(field(checkModelSpec({ ...model, backbone: 'vgg' }))).toBe('backbone');
    expect(field(checkModelSpec({ ...model, latent: 1.5 }))).toBe('latent');
    expect(field(checkModelSpec({ ...model, hidden: '64' }))).toBe('hidden');
    expect(field(checkModelSpec({ ...model, inputSize: 1e9 }))).toBe('input-size');
    expect(field(checkModelSpec({ ...model, dropout: NaN }))).toBe('dropout');
    expect(field(checkModelSpec(null))).toBe('model');
  });
});

describe('checkRunShape', () => {
  const batch = { identities: 8, perIdentity: 8 };
  it('refuses attention heads that do not divide the latent', () => {
    const elim = makeConfig({ matching: 'attention', attention: { heads: 3 }, domains: 8, topk: 8 });
    expect(field(checkRunShape({ model, elim, batch }))).toBe('attention-heads');
    expect(field(checkRunShape({ model, elim: makeConfig({ matching: 'attention', attention: { heads: 4 }, domains: 8, topk: 8 }), batch }))).toBe('accepted');
  });
  it('refuses more domains or a larger k than a batch holds, instead of clamping them', () => {
    expect(field(checkRunShape({ model, elim: makeConfig({ domains: 50, topk: 8 }), batch }))).toBe('domains');
    expect(field(checkRunShape({ model, elim: makeConfig({ domains: 8, topk: 1000 }), batch }))).toBe('topk');
    // the baseline ignores both
    expect(field(checkRunShape({ model, elim: makeConfig({ elim: false, domains: 50, topk: 1000 }), batch }))).toBe('accepted');
  });
});

describe('seeds, the synthetic draw and the environment', () => {
  it('seeds are 32-bit integers: wider ones would equal a narrow one', () => {
    expect(field(checkSeed(0))).toBe('accepted');
    expect(field(checkSeed(LIMITS.seed.max))).toBe('accepted');
    expect(field(checkSeed(2 ** 32))).toBe('seed');
    expect(field(checkSeed(1e300))).toBe('seed');
    expect(field(checkSeed(-1))).toBe('seed');
  });
  it('a seed list refuses repeats and non-integers', () => {
    expect(checkSeedList(['0', '1', '2'])).toEqual(E.right([0, 1, 2]));
    const dup = checkSeedList(['0', '0']);
    expect(E.isLeft(dup) && dup.left.message).toMatch(/seed 0 is repeated/);
    expect(field(checkSeedList(['1e300']))).toBe('seeds');
    expect(field(checkSeedList(['0x1']))).toBe('seeds');
    expect(field(checkSeedList([]))).toBe('seeds');
  });
  it('held-out identities are fewer than all identities, and enough remain for a batch', () => {
    expect(field(checkSynthShape({ identities: 6, heldOut: 6 }))).toBe('synth-held-out');
    expect(field(checkSynthShape({ identities: 6, heldOut: 2 }, 8))).toBe('synth-identities');
    expect(field(checkSynthShape({ identities: 6, heldOut: 2 }, 3))).toBe('accepted');
  });
  it('ELIM_BACKEND and ELIM_THREADS are checked, not silently defaulted', () => {
    expect(field(checkEnvironment({ ELIM_BACKEND: 'garbage' }))).toBe('ELIM_BACKEND');
    expect(field(checkEnvironment({ ELIM_THREADS: '100000' }))).toBe('ELIM_THREADS');
    expect(field(checkEnvironment({ ELIM_THREADS: '2x' }))).toBe('ELIM_THREADS');
    expect(field(checkEnvironment({ ELIM_BACKEND: 'cpu', ELIM_THREADS: String(maxThreads()) }))).toBe('accepted');
    expect(field(checkEnvironment({}))).toBe('accepted');
  });
});
