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
import { elimStep } from './elim.js';
import { baselineStep } from './baseline.js';
import { stepFigures, toyStepSetup } from './stages/testing/toy-step.test-helpers.js';
import type { Stage } from './stages/stage.js';
import type { StepInput, StepOutput } from './baseline.js';

let gpu: GpujsBackend | undefined;
afterAll(() => gpu?.destroy());

const runOn = (backend: Backend, step: Stage<StepInput, StepOutput>) => {
  useBackend(backend);
  const r = toyStepSetup().run(step);
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
  return stepFigures(r.right);
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
