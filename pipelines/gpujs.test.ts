/**
 * elimStep and baselineStep, forward and backward, on the gpujs backend (here GPU.js falls back
 * to its WebAssembly mode: slow, so tiny sizes) against the same step on the CPU backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createGpujsBackend, type GpujsBackend } from '../kernels/gpujs/gpujs-backend.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';
import type { Backend } from '../lib/backend/backend.js';
import { Rng } from '../lib/rng/rng.js';
import { mergeTrees } from '../lib/nn/tree.js';
import { elimStep, withGrad } from './elim.js';
import { baselineStep } from './baseline.js';
import { makeConfig } from './config.js';
import { makeEnv } from './env.js';
import { encode, toyProblem } from './stages/testing/toy.js';
import type { Stage } from './stages/stage.js';
import type { StepInput, StepOutput } from './baseline.js';

let gpu: GpujsBackend | undefined;
afterAll(() => gpu?.destroy());

const runOn = (backend: Backend, step: Stage<StepInput, StepOutput>) => {
  useBackend(backend);
  const env = makeEnv({ config: makeConfig({ domains: 3, topk: 2 }), seed: 4 });
  const toy = toyProblem({ seed: 2, ids: 3, perId: 3, inputDim: 4, latent: 4 });
  const m = toy.init(Rng.fromSeed(6));
  const batch = toy.batch(Rng.fromSeed(7));
  const params = mergeTrees({ encoder: m.encoder.params, projector: m.projector.params });
  const r = withGrad(params, () => {
    const z = encode(toy.encoder, m.encoder.params, m.encoder.state, batch.x);
    return step({ z, labels: batch.labels, keys: batch.keys, iteration: 100, models: { projector: { module: toy.projector, ...m.projector } } })(env);
  });
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return { loss: r.right.out.loss.item(), main: r.right.out.terms.main.item(), grads: [...r.right.grads.values()].map((g) => Array.from(g.toArray())) };
};

describe('steps on the gpujs backend', () => {
  for (const [name, step] of [
    ['elimStep', elimStep],
    ['baselineStep', baselineStep],
  ] as const) {
    it(`${name}: forward and backward agree with the CPU backend`, () => {
      gpu ??= createGpujsBackend({ log: () => undefined });
      const g = runOn(gpu, step);
      const c = runOn(createCpuBackend(), step);
      expect(g.loss).toBeCloseTo(c.loss, 4);
      if (name === 'elimStep') expect(g.main).toBeGreaterThan(0);
      g.grads.forEach((gr, i) => gr.forEach((v, k) => expect(v).toBeCloseTo(c.grads[i][k], 3)));
    });
  }
});
