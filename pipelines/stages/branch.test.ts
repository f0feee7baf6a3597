import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { poolAnchors } from './branch.js';
import { makeConfig, validateConfig } from '../config.js';
import { Rng } from '../../lib/rng/rng.js';
import { mergeTrees } from '../../lib/nn/tree.js';
import { elimStep, withGrad } from '../elim.js';
import { termValues } from './loss.js';
import { testEnv } from './testing/env.js';
import { encode, toyProblem } from './testing/toy.js';
import type { ConfigOverrides } from '../config.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());
describe('branch: several anchors (issue #9)', () => {
  it('anchors 1 keeps the paper grouping; n pools the first n - 1 targets into the anchor set', () => {
    const anchor = [0, 1];
    const targets = [[2, 3], [4], [5, 6]];
    expect(poolAnchors(anchor, targets, 1)).toEqual({ anchor, targets });
    expect(poolAnchors(anchor, targets, 2)).toEqual({ anchor: [0, 1, 2, 3], targets: [[4], [5, 6]] });
    expect(poolAnchors(anchor, targets, 3)).toEqual({ anchor: [0, 1, 2, 3, 4], targets: [[5, 6]] });
  });

  it('at least one target always remains', () => {
    expect(poolAnchors([0], [[1], [2]], 9)).toEqual({ anchor: [0, 1], targets: [[2]] });
    expect(poolAnchors([0], [[1]], 4)).toEqual({ anchor: [0], targets: [[1]] });
  });

  it('validateConfig: anchors must be an integer in [1, domains)', () => {
    expect(E.isRight(validateConfig(makeConfig({ anchors: 3 })))).toBe(true);
    expect(E.isLeft(validateConfig(makeConfig({ anchors: 0 })))).toBe(true);
    expect(E.isLeft(validateConfig(makeConfig({ domains: 4, anchors: 4 })))).toBe(true);
  });
});

describe('the whole step with the issue-9 options', () => {
  const step = (overrides: ConfigOverrides) => {
    const env = testEnv({ domains: 4, topk: 4, ...overrides }, 11);
    const toy = toyProblem({ seed: 3 });
    const models = toy.init(Rng.fromSeed(11));
    const batch = toy.batch(Rng.fromSeed(12));
    const params = mergeTrees({ encoder: models.encoder.params, projector: models.projector.params });
    return withGrad(params, () => {
      const z = encode(toy.encoder, models.encoder.params, models.encoder.state, batch.x);
      return elimStep({ z, labels: batch.labels, keys: batch.keys, iteration: 100, models: { projector: { module: toy.projector, ...models.projector } } })(
        env,
      );
    });
  };
  const cases: Array<[string, ConfigOverrides]> = [
    ['vector', { shift: 'vector' }],
    ['vector, differentiable', { shift: 'vector', detachShift: false }],
    ['identity-vector, half strength, no RMS', { shift: 'identity-vector', shiftStrength: 0.5, skipRms: true }],
    ['two pooled anchors', { anchors: 2, shift: 'vector' }],
  ];
  it.each(cases)('%s: finite loss and gradients, ELIM term present', (_name, o) => {
    const r = step(o);
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    const t = termValues(r.right.out.terms);
    expect(r.right.out.outcome._tag).toBe('Grouped');
    expect(t.main).toBeGreaterThan(0);
    for (const [name, g] of r.right.grads) expect(Array.from(g.toArray()).every(Number.isFinite), name).toBe(true);
  });
  it('anchors: 2 changes the ELIM term; anchors: 1 equals the default', () => {
    const main = (o: ConfigOverrides) => {
      const r = step(o);
      if (E.isLeft(r)) throw new Error('step');
      return termValues(r.right.out.terms).main;
    };
    expect(main({ anchors: 1 })).toBe(main({}));
    expect(main({ anchors: 2 })).not.toBe(main({}));
  });
});
