import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { Rng } from '../../lib/rng/rng.js';
import { projector } from '../../lib/nn/heads.js';
import { initModule } from '../../lib/nn/module.js';
import { project } from './project.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

useBackend(createCpuBackend());

const setup = (overrides = {}) => {
  const env = testEnv(overrides);
  const module = projector(4);
  const { params, state } = initModule(module, Rng.fromSeed(1));
  const r = Rng.fromSeed(2);
  const x = T.tensor(
    Array.from({ length: 24 }, () => r.normal()),
    [6, 4],
  );
  return { env, model: { module, params, state }, x };
};

describe('project', () => {
  it("role 'batch' updates the running statistics", () => {
    const { env, model, x } = setup();
    const r = project({ model, x, role: 'batch', rng: Rng.fromSeed(0) })(env);
    expect(E.isRight(r) && r.right.y.shape).toEqual([6, 2]);
    expect(E.isRight(r) && r.right.state.get('1.running_mean') !== model.state.get('1.running_mean')).toBe(true);
  });

  it('ELIM joint call: one BatchNorm over all rows, running statistics untouched', () => {
    const { env, model, x } = setup();
    const r = project({ model, x, role: 'elim', sizes: [3, 3], rng: Rng.fromSeed(0) })(env);
    if (E.isLeft(r)) throw new Error('project');
    expect(r.right.state).toBe(model.state);
    const batch = project({ model, x, role: 'batch', rng: Rng.fromSeed(0) })(env);
    if (E.isLeft(batch)) throw new Error('project');
    expect(Array.from(r.right.y.toArray())).toEqual(Array.from(batch.right.y.toArray())); // same statistics, same output
  });

  it('ELIM per-identity (release): statistics per group, running stats updated once per group', () => {
    const { env: joint, model, x } = setup();
    const env = testEnv({ projectorCalls: 'per-identity' });
    const per = project({ model, x, role: 'elim', sizes: [3, 3], rng: Rng.fromSeed(0) })(env);
    const one = project({ model, x, role: 'elim', sizes: [3, 3], rng: Rng.fromSeed(0) })(joint);
    if (E.isLeft(per) || E.isLeft(one)) throw new Error('project');
    expect(per.right.state).not.toBe(model.state);
    expect(Array.from(per.right.y.toArray())).not.toEqual(Array.from(one.right.y.toArray()));
    // a group of one sample cannot be batch-normalised: a typed engine failure, not a throw
    const bad = project({ model, x, role: 'elim', sizes: [1, 5], rng: Rng.fromSeed(0) })(env);
    expect(E.isLeft(bad) && bad.left._tag).toBe('EngineFailure');
  });
});
