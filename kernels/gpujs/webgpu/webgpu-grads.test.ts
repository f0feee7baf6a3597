/**
 * Gradients on the gpujs WebGPU mode against the CPU backend, as the GL path checks them
 * (kernels/gpujs/backbones.test.ts, pipelines/gpujs.test.ts): the AL64 encoder (tiny) forward
 * and backward with every parameter gradient, and the ELIM step (elimStep and baselineStep
 * through the pipeline's stages, host transport in the middle) with its loss and gradients.
 * Tolerances: 2e-3 scaled for the network (float32 on both sides, long reductions summed in
 * different orders), loss to 4 decimals and gradients to 3 as the GL step test.
 * Under CI=true (or ELIM_REQUIRE_WEBGPU=1) no adapter FAILS, else the file skips and says why.
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../../lib/backend/backend.js';
import { useBackend } from '../../../lib/backend/current.js';
import { createAl64 } from '../../../lib/nn/al64.js';
import { initModule } from '../../../lib/nn/module.js';
import { mergeTrees } from '../../../lib/nn/tree.js';
import * as T from '../../../lib/ops/index.js';
import { valueAndGradTree } from '../../../lib/optim/grads.js';
import { Rng } from '../../../lib/rng/rng.js';
import { baselineStep } from '../../../pipelines/baseline.js';
import { makeConfig } from '../../../pipelines/config.js';
import { elimStep, withGrad, type StepInput, type StepOutput } from '../../../pipelines/elim.js';
import { makeEnv } from '../../../pipelines/env.js';
import type { Stage } from '../../../pipelines/stages/stage.js';
import { encode, toyProblem } from '../../../pipelines/stages/testing/toy.js';
import { expectClose } from '../../conformance/compare.test-helpers.js';
import { createCpuBackend } from '../../cpu/cpu-backend.js';
import { openWebGpuForTest } from './test-device.js';

const opened = openWebGpuForTest();
const gpu = typeof opened === 'string' ? null : opened;
if (!gpu) console.warn(`[webgpu grads] SKIPPED (not CI): ${opened}`);
afterAll(() => gpu?.destroy());
const cpu = createCpuBackend();

const al64 = (backend: Backend) => {
  const m = createAl64({ inputSize: 16, width: 0.25, hidden: 16, latent: 8, dropout: 0 }).encoder;
  const { params, state } = initModule(m, Rng.fromSeed(3), { backend });
  const x = T.randomUniform([3, 3, 16, 16], Rng.fromSeed(4), -1, 1, { backend });
  const { out, grads } = valueAndGradTree(params, () => {
    const y = m.apply(params, state, x, { training: true, rng: Rng.fromSeed(5) }).y;
    return { loss: T.mean(T.square(y)), y };
  });
  return { y: Array.from(out.y.toArray()), loss: out.loss.item(), grads: new Map([...grads].map(([k, g]) => [k, Array.from(g.toArray())])) };
};

const stepOn = (backend: Backend, step: Stage<StepInput, StepOutput>) => {
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

describe.skipIf(!gpu)('gradients on the gpujs WebGPU mode vs the CPU backend', () => {
  it('AL64 encoder (16 px, width 0.25): output, loss and every parameter gradient (2e-3 scaled)', () => {
    const a = al64(gpu!);
    const b = al64(cpu);
    expectClose(a.y, b.y, 2e-3, 'AL64 output');
    expectClose([a.loss], [b.loss], 2e-3, 'AL64 loss');
    expect([...a.grads.keys()]).toEqual([...b.grads.keys()]);
    for (const [k, g] of a.grads) expectClose(g, b.grads.get(k)!, 2e-3, `AL64 d/d ${k}`);
  }, 300_000);

  for (const [name, step] of [
    ['elimStep', elimStep],
    ['baselineStep', baselineStep],
  ] as const) {
    it(`${name}: loss and gradients agree with the CPU backend`, () => {
      const g = stepOn(gpu!, step);
      const c = stepOn(cpu, step);
      expect(g.loss).toBeCloseTo(c.loss, 4);
      if (name === 'elimStep') expect(g.main).toBeGreaterThan(0);
      g.grads.forEach((gr, i) => gr.forEach((v, k) => expect(v).toBeCloseTo(c.grads[i][k], 3)));
    }, 300_000);
  }
});
