import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../lib/rng/rng.js';
import { disposeReplaced, mergeTrees, subtree } from '../lib/nn/tree.js';
import { adam } from '../lib/optim/adam.js';
import { scope } from '../lib/tensor/scope.js';
import { elimStep, elimOnlyStep, withGrad, type StepOutput } from './elim.js';
import { withRng } from './env.js';
import { baselineStep } from './baseline.js';
import { termValues } from './stages/loss.js';
import { testEnv } from './stages/testing/env.js';
import { encode, toyProblem } from './stages/testing/toy.js';
import type { ConfigOverrides } from './config.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';

const backend = useBackend(createCpuBackend());

const setup = (overrides: ConfigOverrides = {}, seed = 11) => {
  const env = testEnv({ domains: 4, topk: 4, ...overrides }, seed);
  const toy = toyProblem({ seed: 3 });
  const models = toy.init(Rng.fromSeed(seed));
  const batch = toy.batch(Rng.fromSeed(seed + 1));
  return { env, toy, models, batch };
};

const stepInput = (s: ReturnType<typeof setup>, iteration = 100) => {
  const z = encode(s.toy.encoder, s.models.encoder.params, s.models.encoder.state, s.batch.x);
  return { z, labels: s.batch.labels, keys: s.batch.keys, iteration, models: { projector: { module: s.toy.projector, ...s.models.projector } } };
};

/**
 * Trains the toy problem with Adam through elimStep, threading the projector's state: `onStep`
 * sees each step's output (and the projector state it replaces) before the update, `afterStep`
 * runs once the step's batch is freed.
 */
const trainToy = (
  s: ReturnType<typeof setup>,
  o: { lr: number; dataSeed: number; keySeed: number; steps: number },
  hooks: { onStep: (out: StepOutput, projState: StepOutput['state']) => void; afterStep?: () => void },
) => {
  let params = mergeTrees({ encoder: s.models.encoder.params, projector: s.models.projector.params });
  const opt = adam({ lr: o.lr });
  let optState = opt.init(params);
  let projState = s.models.projector.state;
  const dataRng = Rng.fromSeed(o.dataSeed);
  const keys = Rng.fromSeed(o.keySeed);
  for (let it = 0; it < o.steps; it++) {
    const batch = s.toy.batch(dataRng);
    const env = withRng(s.env, keys);
    const r = withGrad(params, () => {
      const z = encode(s.toy.encoder, subtree(params, 'encoder'), s.models.encoder.state, batch.x);
      return elimStep({
        z,
        labels: batch.labels,
        keys: batch.keys,
        iteration: it,
        models: { projector: { module: s.toy.projector, params: subtree(params, 'projector'), state: projState } },
      })(env);
    });
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    hooks.onStep(r.right.out, projState);
    projState = r.right.out.state;
    ({ params, state: optState } = opt.step(params, r.right.grads, optState));
    batch.x.dispose();
    batch.labels.dispose();
    hooks.afterStep?.();
  }
};

describe('elimStep / baselineStep', () => {
  it('forward and backward on the CPU backend: finite loss, every term, gradients into encoder and projector', () => {
    const s = setup();
    const params = mergeTrees({ encoder: s.models.encoder.params, projector: s.models.projector.params });
    const r = withGrad(params, () => elimStep(stepInput(s))(s.env));
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    const { out, grads } = r.right;
    const t = termValues(out.terms);
    expect(out.outcome._tag).toBe('Grouped');
    expect(t.main).toBeGreaterThan(0);
    expect(Number.isFinite(t.total)).toBe(true);
    expect(t.total).toBeCloseTo(t.main + t.va + 0.5 * (t.pcc + t.ccc), 5);
    for (const [name, g] of grads) {
      const a = g.toArray();
      expect(a.every(Number.isFinite), name).toBe(true);
    }
    const norm = (prefix: string) => [...subtree(grads, prefix).values()].reduce((acc, g) => acc + Array.from(g.toArray()).reduce((x, v) => x + v * v, 0), 0);
    expect(norm('encoder')).toBeGreaterThan(0);
    expect(norm('projector')).toBeGreaterThan(0);
  });

  it('with the ELIM term off equals baselineStep (bit for bit)', () => {
    const a = setup({ elim: false });
    const b = setup({ elim: false });
    const ra = scope(() => E.map((o: { loss: { item(): number } }) => o.loss.item())(elimStep(stepInput(a))(a.env)));
    const rb = scope(() => E.map((o: { loss: { item(): number } }) => o.loss.item())(baselineStep(stepInput(b))(b.env)));
    expect(ra).toEqual(rb);
    expect(E.isRight(ra)).toBe(true);
  });

  it('the same step run twice with the same Env gives identical outputs; the Env is not advanced', () => {
    const s = setup({}, 5);
    const key = [...s.env.rngKey];
    const params = mergeTrees({ encoder: s.models.encoder.params, projector: s.models.projector.params });
    const run = () => {
      const r = withGrad(params, () => elimStep(stepInput(s))(s.env));
      if (E.isLeft(r)) throw new Error(`step failed: ${r.left._tag}`);
      const { out, grads } = r.right;
      expect(out.outcome._tag).toBe('Grouped');
      return {
        outcome: JSON.stringify(out.outcome),
        terms: termValues(out.terms),
        state: [...out.state.values()].map((t) => Array.from(t.toArray())),
        grads: [...grads.values()].map((g) => Array.from(g.toArray())),
      };
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(s.env.rngKey).toEqual(key);
    // another key (the next iteration of a loop) draws other groups or noise: the key is what varies
    const others = [1, 2, 3, 4].map((k) => {
      const r = elimStep(stepInput(s))(withRng(s.env, Rng.fromSeed(k)));
      return E.isRight(r) ? JSON.stringify(r.right.outcome) + r.right.loss.item() : 'left';
    });
    expect(others.some((o) => o !== first.outcome + first.terms.total)).toBe(true);
  });

  it('warm-up: L_main is 0 before w1 (outcome Disabled warmup) and ramps as iteration / w2', () => {
    const s = setup();
    const early = elimStep(stepInput(s, 2))(s.env);
    expect(E.isRight(early) && early.right.outcome).toEqual({ _tag: 'Disabled', reason: 'warmup' });
    expect(E.isRight(early) && early.right.terms.main.item()).toBe(0);
    const mid = elimStep(stepInput(s, 25))(s.env);
    expect(E.isRight(mid) && mid.right.terms.warmup).toBe(0.5);
  });

  it('two-step: the first step is the baseline objective, the second L_main alone', () => {
    const s = setup({ steps: 'two-step' });
    const first = elimStep(stepInput(s))(s.env);
    expect(E.isRight(first) && first.right.outcome).toEqual({ _tag: 'Disabled', reason: 'two-step' });
    const second = elimOnlyStep(stepInput(s))(s.env);
    expect(E.isRight(second)).toBe(true);
    if (E.isRight(second)) {
      expect(second.right.outcome._tag).toBe('Grouped');
      expect(second.right.loss.item()).toBe(second.right.terms.main.item());
      expect(second.right.terms.va.item()).toBe(0);
    }
  });

  it('no handle leaks: live handles stay flat over training steps (per-identity BN state threaded too)', () => {
    const s = setup({ projectorCalls: 'per-identity', warmup: { w1: 0, w2: 1 } }, 8);
    const live: number[] = [];
    trainToy(
      s,
      { lr: 1e-3, dataSeed: 3, keySeed: 4, steps: 12 },
      {
        onStep: (out, projState) => {
          disposeReplaced(projState, out.state);
          for (const t of Object.values(out.terms)) if (typeof t === 'object') t.dispose();
          out.loss.dispose();
        },
        afterStep: () => live.push(backend.liveHandles()),
      },
    );
    expect(live[11]).toBe(live[3]);
  });

  it('a short training run on the toy problem decreases the loss', () => {
    const s = setup({ domains: 6, topk: 4, warmup: { w1: 0, w2: 1 } }, 21);
    const losses: number[] = [];
    trainToy(s, { lr: 3e-3, dataSeed: 99, keySeed: 100, steps: 200 }, { onStep: (out) => losses.push(out.loss.item()) });
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(losses.slice(-20))).toBeLessThan(0.6 * avg(losses.slice(0, 20)));
  });
});
