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
import { al64GradFigures } from '../../../lib/nn/al64-grads.test-helpers.js';
import { baselineStep } from '../../../pipelines/baseline.js';
import { elimStep, type StepInput, type StepOutput } from '../../../pipelines/elim.js';
import type { Stage } from '../../../pipelines/stages/stage.js';
import { stepFigures, toyStepSetup } from '../../../pipelines/stages/testing/toy-step.test-helpers.js';
import { expectClose } from '../../conformance/compare.test-helpers.js';
import { createCpuBackend } from '../../cpu/cpu-backend.js';
import { openWebGpuForTest } from './test-device.js';

const opened = openWebGpuForTest();
const gpu = typeof opened === 'string' ? null : opened;
if (!gpu) console.warn(`[webgpu grads] SKIPPED (not CI): ${opened}`);
afterAll(() => gpu?.destroy());
const cpu = createCpuBackend();

const stepOn = (backend: Backend, step: Stage<StepInput, StepOutput>) => {
  useBackend(backend);
  const r = toyStepSetup().run(step);
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return stepFigures(r.right);
};

describe.skipIf(!gpu)('gradients on the gpujs WebGPU mode vs the CPU backend', () => {
  it('AL64 encoder (16 px, width 0.25): output, loss and every parameter gradient (2e-3 scaled)', () => {
    const a = al64GradFigures(gpu!);
    const b = al64GradFigures(cpu);
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
