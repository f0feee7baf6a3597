import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_CONFIG, describeConfig, makeConfig, RELEASE_PRESET, validateConfig, withEta } from './config.js';

const leaves = (o: object, prefix = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (v !== null && typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('ElimConfig', () => {
  it('describeConfig lists every option exactly once, with its default and a provenance', () => {
    const paths = describeConfig().map((o) => o.path);
    expect(new Set(paths).size).toBe(paths.length);
    const covered = new Set(paths.flatMap((p) => p.split(' / ')));
    expect(leaves(DEFAULT_CONFIG).filter((l) => !covered.has(l))).toEqual([]);
    for (const o of describeConfig()) {
      const value = o.path.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown>)[k], DEFAULT_CONFIG);
      expect(o.default, o.path).toEqual(value);
      expect(['paper', 'release', 'paper+release', 'here']).toContain(o.provenance);
    }
  });

  it('the spec defaults', () => {
    const c = DEFAULT_CONFIG;
    expect([c.domains, c.topk, c.tau, c.transport.lambda, c.transport.iterations, c.normEps, c.warmup.w1, c.warmup.w2]).toEqual([
      10, 10, 0.5, 5, 5, 1e-6, 5, 50,
    ]);
    expect([c.sampling, c.transport.cost, c.transport.relevance, c.shift, c.projectorCalls, c.matching, c.steps]).toEqual([
      'gumbel',
      'cosine',
      'mean-dot',
      'per-sample',
      'joint',
      'sinkhorn',
      'one-step',
    ]);
    expect(c.detachShift).toBe(true);
  });

  it('makeConfig merges nested overrides; RELEASE_PRESET and eta', () => {
    const c = makeConfig({ transport: { cost: 'sqeuclidean' } });
    expect(c.transport).toEqual({ ...DEFAULT_CONFIG.transport, cost: 'sqeuclidean' });
    const r = makeConfig(RELEASE_PRESET);
    expect([r.shift, r.projectorCalls, r.loss.mainScale, r.loss.includeAnchor, r.steps, r.transport.releaseMassGuard]).toEqual([
      'scalar',
      'per-identity',
      0.5,
      true,
      'two-step',
      true,
    ]);
    expect(makeConfig(withEta(0.2)).transport.lambda).toBe(5);
  });

  it('validateConfig names the bad field', () => {
    for (const [o, field] of [
      [{ domains: 1 }, 'domains'],
      [{ topk: 0 }, 'topk'],
      [{ tau: 0 }, 'tau'],
      [{ transport: { lambda: -1 } }, 'transport.lambda'],
      [{ warmup: { w2: 0 } }, 'warmup.w2'],
    ] as const) {
      const r = validateConfig(makeConfig(o));
      expect(E.isLeft(r) && r.left._tag === 'InvalidConfig' && r.left.field).toBe(field);
    }
    expect(E.isRight(validateConfig(DEFAULT_CONFIG))).toBe(true);
  });
});
