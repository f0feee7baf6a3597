/**
 * A short training run through the real trainer decreases the loss for ELIM and the baseline on
 * the CPU backend and on the gpujs backend (GL under xvfb in CI, its WebAssembly mode elsewhere).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { createGpujsBackend, type GpujsBackend } from '../../kernels/gpujs/gpujs-backend.js';
import { useBackend } from '../../lib/backend/current.js';
import type { Backend } from '../../lib/backend/backend.js';
import { synthesizeInMemory } from '../data/synthetic/synthesize.js';
import { makeConfig } from '../config.js';
import { imageSetFromSynthetic, subsetByIdentity } from './image-set.js';
import { phasesFor } from './elim-objective.js';
import { formatTrainError } from './errors.js';
import { createEventSink } from '../cli/events.js';
import { adamAt, tinySettings, trainPlan } from './trainer.test-helpers.js';

const ds = synthesizeInMemory({ seed: 5, identities: 6, heldOut: 1, frames: 10, size: 16 });
const trainSet = subsetByIdentity(imageSetFromSynthetic(ds), new Set(ds.trainIdentities));
let gpu: GpujsBackend | undefined;
afterAll(() => gpu?.destroy());

const losses = async (backend: Backend, method: 'elim' | 'baseline') => {
  useBackend(backend);
  const config = makeConfig({ elim: method === 'elim', domains: 4, topk: 3, warmup: { w1: 0, w2: 1 } });
  const plan = phasesFor(method, config, 8, 0);
  const settings = tinySettings(40, {
    model: { backbone: 'al64', inputSize: 16, width: 0.125, hidden: 16, latent: 8, dropout: 0 },
    optimizer: adamAt(3e-3),
    seed: 2,
    logEvery: 10,
    augment: { flip: false },
  });
  const r = await trainPlan(settings, plan, backend, trainSet, createEventSink({ quiet: true }));
  if (E.isLeft(r)) throw new Error(formatTrainError(r.left));
  return r.right.history.map((h) => h.terms.total);
};

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('training decreases the loss on every backend', () => {
  const backends: Array<[string, () => Backend]> = [
    ['cpu', () => createCpuBackend()],
    ['gpujs', () => (gpu ??= createGpujsBackend({ log: () => undefined }))],
  ];
  for (const [name, make] of backends)
    for (const method of ['elim', 'baseline'] as const)
      it(`${method} on ${name}: mean loss of the last 10 of 40 iterations below 0.8x the first 10`, async () => {
        const l = await losses(make(), method);
        expect(l.every(Number.isFinite)).toBe(true);
        expect(mean(l.slice(-10))).toBeLessThan(0.8 * mean(l.slice(0, 10)));
      }, 300_000);
});
