/**
 * The paper's ResNet18 and MLP-Mixer (at tiny widths) forward and backward on the gpujs backend
 * against the CPU backend: same parameters (drawn from one seed on each backend), same input;
 * outputs and every parameter gradient agree within float32 tolerance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend/backend.js';
import { mlpMixer } from '../../lib/nn/mixer.js';
import { resnet18 } from '../../lib/nn/resnet.js';
import { initModule, type Module } from '../../lib/nn/module.js';
import { valueAndGradTree } from '../../lib/optim/grads.js';
import * as T from '../../lib/ops/index.js';
import { Rng } from '../../lib/rng/rng.js';
import { expectClose } from '../conformance/compare.test-helpers.js';
import { createCpuBackend } from '../cpu/cpu-backend.js';
import { createGpujsBackend } from './gpujs-backend.js';

const gpu = createGpujsBackend();
const cpu = createCpuBackend();
afterAll(() => gpu.destroy());

const run = (m: Module, backend: Backend, inShape: readonly number[]) => {
  const { params, state } = initModule(m, Rng.fromSeed(3), { backend });
  const x = T.randomUniform(inShape, Rng.fromSeed(4), -1, 1, { backend });
  const { out, grads } = valueAndGradTree(params, () => {
    const y = m.apply(params, state, x, { training: true, rng: Rng.fromSeed(5) }).y;
    return { loss: T.mean(T.square(y)), y };
  });
  return { y: Array.from(out.y.toArray()), loss: out.loss.item(), grads: new Map([...grads].map(([k, g]) => [k, Array.from(g.toArray())])) };
};

describe(`paper backbones: gpujs (${gpu.kernelClass}) vs cpu`, () => {
  const cases: Array<[string, Module, number[]]> = [
    ['ResNet18 (width 4, 16 px, 3-way head)', resnet18({ inputSize: 16, width: 4, numClasses: 3 }).module, [2, 3, 16, 16]],
    [
      'MLP-Mixer (patch 4, dim 8, depth 2, 16 px)',
      mlpMixer({ imageSize: 16, patch: 4, dim: 8, depth: 2, tokensHidden: 8, channelsHidden: 16, numClasses: 3 }).module,
      [2, 3, 16, 16],
    ],
  ];
  for (const [name, m, shape] of cases) {
    it(`${name}: output, loss and every parameter gradient agree (tolerance 2e-3 scaled)`, () => {
      const a = run(m, gpu, shape);
      const b = run(m, cpu, shape);
      expectClose(a.y, b.y, 2e-3, `${name} output`);
      expectClose([a.loss], [b.loss], 2e-3, `${name} loss`);
      expect([...a.grads.keys()]).toEqual([...b.grads.keys()]);
      for (const [k, g] of a.grads) expectClose(g, b.grads.get(k)!, 2e-3, `${name} d/d ${k}`);
    }, 300_000);
  }
});
