import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { grad } from '../../lib/autograd/grad.js';
import { Rng } from '../../lib/rng/rng.js';
import { countParams, initModule } from '../../lib/nn/module.js';
import { attentionMatcher, attention, matcherSpec } from './attention.js';
import { DEFAULT_CONFIG } from '../config.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());

describe('ELIM-Attention', () => {
  it('has under 100K parameters at d = 64', () => {
    const n = countParams(attentionMatcher(matcherSpec(64, DEFAULT_CONFIG.attention)));
    expect(n).toBe(33345);
    expect(n).toBeLessThan(100_000);
    expect(countParams(attentionMatcher(matcherSpec(64, { heads: 4, width: 32 })))).toBeLessThan(100_000);
  });

  it('gives one weight per target sample and trains (gradients reach its parameters)', () => {
    const env = testEnv({ matching: 'attention' });
    const d = 8;
    const { params } = initModule(attentionMatcher(matcherSpec(d, env.config.attention)), Rng.fromSeed(1));
    const r = Rng.fromSeed(2);
    const z = T.tensor(
      Array.from({ length: 10 * d }, () => r.normal()),
      [10, d],
      { requiresGrad: true },
    );
    const out = attention({
      z,
      anchor: [0, 1, 2],
      targets: [
        [3, 4],
        [5, 6, 7, 8, 9],
      ],
      params,
    })(env);
    if (E.isLeft(out)) throw new Error('attention');
    expect(out.right.mu.shape).toEqual([7]);
    const names = [...params.keys()];
    const gs = grad(T.sum(T.square(out.right.mu)), [...params.values(), z]);
    names.forEach((name, i) =>
      expect(
        gs[i].toArray().some((v) => v !== 0),
        name,
      ).toBe(true),
    );
    expect(gs[gs.length - 1].toArray().every((v) => v === 0)).toBe(true); // detached features by default
  });
});
