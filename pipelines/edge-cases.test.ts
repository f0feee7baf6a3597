/** The edge cases, each with a clear outcome through the whole step. */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import { projector } from '../lib/nn/heads.js';
import { initModule } from '../lib/nn/module.js';
import { mergeTrees } from '../lib/nn/tree.js';
import { elimStep, withGrad } from './elim.js';
import { baselineStep } from './baseline.js';
import { attentionMatcher, matcherSpec } from './stages/attention.js';
import { testEnv } from './stages/testing/env.js';
import { memoryLogger } from './env.js';
import type { ConfigOverrides } from './config.js';
import type { DomainKey } from './stages/group.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';

useBackend(createCpuBackend());

const D = 6;

const run = (keys: DomainKey[], o: { overrides?: ConfigOverrides; labels?: number[]; z?: number[]; labelRows?: number } = {}) => {
  const env = testEnv({ domains: 10, topk: 4, ...o.overrides }, 3);
  const module = projector(D);
  const proj = initModule(module, Rng.fromSeed(1));
  const r = Rng.fromSeed(2);
  const n = keys.length;
  const z = T.tensor(o.z ?? Array.from({ length: n * D }, () => r.normal()), [n, D], { requiresGrad: true });
  const rows = o.labelRows ?? n;
  const labels = T.tensor(o.labels ?? Array.from({ length: rows * 2 }, () => r.uniform() * 2 - 1), [rows, 2]);
  const attention =
    env.config.matching === 'attention' ? initModule(attentionMatcher(matcherSpec(D, env.config.attention)), Rng.fromSeed(4)).params : undefined;
  const input = { z, labels, keys, iteration: 100, models: { projector: { module, ...proj }, attention } };
  return { env, input, elim: elimStep(input)(env), params: mergeTrees({ projector: proj.params, ...(attention ? { attention } : {}) }) };
};

describe('edge cases', () => {
  it('one identity in the batch: Skipped single-domain, L_main = 0, loss = baseline', () => {
    const { elim, env, input } = run(['a', 'a', 'a', 'a']);
    expect(E.isRight(elim) && elim.right.outcome).toEqual({ _tag: 'Skipped', reason: 'single-domain', domainsInBatch: 1 });
    expect(E.isRight(elim) && elim.right.terms.main.item()).toBe(0);
    const base = baselineStep(input)(testEnv({ domains: 10, topk: 4 }, 3));
    expect(E.isRight(base) && E.isRight(elim) && base.right.loss.item()).toBe(E.isRight(elim) && elim.right.loss.item());
    void env;
  });

  it('every group of size 1: duplicated (release) and matched; with singletons drop: Skipped', () => {
    const dup = run(['a', 'b', 'c', 'd']);
    expect(E.isRight(dup.elim) && dup.elim.right.outcome._tag === 'Grouped' && dup.elim.right.outcome.duplicated).toBe(4);
    expect(E.isRight(dup.elim) && Number.isFinite(dup.elim.right.terms.main.item())).toBe(true);
    const drop = run(['a', 'b', 'c', 'd'], { overrides: { singletons: 'drop' } });
    expect(E.isRight(drop.elim) && drop.elim.right.outcome).toEqual({ _tag: 'Skipped', reason: 'too-few-matchable-domains', domainsInBatch: 4 });
  });

  it('all labels zero: Grouped, every term finite, gradients finite', () => {
    const keys = ['a', 'a', 'b', 'b', 'c', 'c'];
    const { params, env, input } = run(keys, { labels: new Array(12).fill(0) });
    const g = withGrad(params, () => elimStep(input)(env));
    expect(E.isRight(g)).toBe(true);
    if (E.isRight(g)) {
      expect(g.right.out.outcome._tag).toBe('Grouped');
      for (const t of [g.right.out.terms.total, g.right.out.terms.main, g.right.out.terms.pcc]) expect(Number.isFinite(t.item())).toBe(true);
      for (const gr of g.right.grads.values()) expect(gr.toArray().every(Number.isFinite)).toBe(true);
    }
  });

  it('k larger than every group: each group kept whole', () => {
    const keys = ['a', 'a', 'b', 'b', 'b', 'c', 'c'];
    const { elim } = run(keys, { overrides: { topk: 50 } });
    expect(E.isRight(elim) && elim.right.outcome._tag).toBe('Grouped');
    expect(E.isRight(elim) && elim.right.transport?.problems).toBe(2);
  });

  it('NaN in features: NonFinite naming the first bad sample', () => {
    const z = Array.from({ length: 4 * D }, (_, i) => (i === 2 * D + 1 ? NaN : i / 10));
    const { elim } = run(['a', 'a', 'b', 'b'], { z });
    expect(E.isLeft(elim) && elim.left).toEqual({ _tag: 'NonFinite', stage: 'validate', what: 'features', index: 2, count: 1 });
  });

  it('mismatched label/feature/key counts: InputMismatch', () => {
    const labels = run(['a', 'a', 'b', 'b'], { labelRows: 3 });
    expect(E.isLeft(labels.elim) && labels.elim.left._tag).toBe('InputMismatch');
    const keys = run(['a', 'a', 'b'], { labelRows: 3 });
    expect(E.isRight(keys.elim)).toBe(true);
    const env = testEnv();
    const bad = elimStep({ ...keys.input, keys: ['a', 'b'] })(env);
    expect(E.isLeft(bad) && bad.left._tag === 'InputMismatch' && bad.left.message).toMatch(/2 domain keys for 3/);
  });

  it('ELIM-Attention matching runs through the step, and its parameters get gradients', () => {
    const keys = ['a', 'a', 'a', 'b', 'b', 'c', 'c', 'c'];
    const { params, env, input } = run(keys, { overrides: { matching: 'attention', attention: { heads: 2 } } });
    const g = withGrad(params, () => elimStep(input)(env));
    expect(E.isRight(g)).toBe(true);
    if (E.isRight(g)) {
      expect(g.right.out.transport).toBeUndefined();
      const w = g.right.grads.get('attention.fc.weight')!;
      expect(w.toArray().some((v) => v !== 0)).toBe(true);
    }
    const missing = elimStep({ ...input, models: { projector: input.models.projector } })(env);
    expect(E.isLeft(missing) && missing.left._tag).toBe('InputMismatch');
  });

  it('an invalid config is a typed InvalidConfig before any math', () => {
    const { elim } = run(['a', 'a', 'b', 'b'], { overrides: { domains: 1 } });
    expect(E.isLeft(elim) && elim.left._tag === 'InvalidConfig' && elim.left.field).toBe('domains');
  });

  it('the step logs its outcome through the Env logger', () => {
    const logger = memoryLogger();
    const { input, env } = run(['a', 'a', 'b', 'b']);
    elimStep(input)({ ...env, logger });
    expect(logger.records.some((r) => r.level === 'debug' && r.message === 'elim step')).toBe(true);
  });

  it('release preset (scalar shift, per-identity projector, anchor term, 0.5) runs and updates running statistics', () => {
    const keys = ['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];
    const { elim, input } = run(keys, { overrides: { shift: 'scalar', projectorCalls: 'per-identity', loss: { mainScale: 0.5, includeAnchor: true } } });
    expect(E.isRight(elim) && elim.right.outcome._tag).toBe('Grouped');
    expect(E.isRight(elim) && elim.right.state.get('1.running_mean') !== input.models.projector.state.get('1.running_mean')).toBe(true);
  });
});
