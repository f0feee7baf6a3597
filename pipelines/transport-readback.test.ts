/**
 * The transport stage solves OT where the tensors live: during one ELIM training step (forward
 * and backward, inside withGrad) the backend's sinkhornBatched primitive runs once, its plan is
 * never read back, no plan-sized buffer is uploaded, and the step reads back exactly what the
 * baseline step (no transport at all) reads: the features and labels validate checks. Run on the
 * CPU backend and on the gpujs backend (headless GL under xvfb; CI sets ELIM_REQUIRE_GL=1), whose
 * ELIM loss must equal the CPU backend's within 1e-5 relative (both float32).
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../lib/ops/index.js';
import type { Backend, DataHandle } from '../lib/backend/backend.js';
import { useBackend } from '../lib/backend/current.js';
import { Rng } from '../lib/rng/rng.js';
import { projector } from '../lib/nn/heads.js';
import { initModule } from '../lib/nn/module.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { createGpujsBackend, isGLKernelClass, type GpujsBackend } from '../kernels/gpujs/gpujs-backend.js';
import { baselineStep } from './baseline.js';
import { makeConfig, type ConfigOverrides } from './config.js';
import { elimStep, withGrad } from './elim.js';
import { makeEnv } from './env.js';

interface Traffic {
  downloads: number[];
  uploads: number[];
  plans: DataHandle[];
  planDownloads: number;
}

/** The backend with its reads, writes and Sinkhorn plans recorded. */
const counting = (b: Backend, t: Traffic): Backend =>
  new Proxy(b, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (prop === 'download' || prop === 'downloadAsync')
        return (h: DataHandle) => {
          t.downloads.push(h.size);
          if (t.plans.includes(h)) t.planDownloads++;
          return v.call(target, h);
        };
      if (prop === 'upload')
        return (a: ArrayLike<number>) => {
          t.uploads.push(a.length);
          return v.call(target, a);
        };
      if (prop === 'sinkhornBatched')
        return (...args: unknown[]) => {
          const r = v.apply(target, args);
          t.plans.push(r.plan);
          return r;
        };
      return v.bind(target);
    },
  });

const B = 24;
const D = 8;

/** One training step's traffic: ELIM or baseline, same data, on `base`. */
const stepTraffic = (base: Backend, elim: boolean, overrides: ConfigOverrides = {}) => {
  const t: Traffic = { downloads: [], uploads: [], plans: [], planDownloads: 0 };
  useBackend(counting(base, t));
  const env = makeEnv({ config: makeConfig({ domains: 4, topk: 5, ...overrides }), seed: 3 });
  const module = projector(D);
  const proj = initModule(module, Rng.fromSeed(1));
  const r = Rng.fromSeed(2);
  const z = T.tensor(
    Array.from({ length: B * D }, () => r.normal()),
    [B, D],
    { requiresGrad: true },
  );
  const labels = T.tensor(
    Array.from({ length: B * 2 }, () => r.uniform() * 2 - 1),
    [B, 2],
  );
  const keys = Array.from({ length: B }, (_, i) => `id${i % 6}`);
  const input = { z, labels, keys, iteration: 100, models: { projector: { module, ...proj } } };
  // only the step: creating the inputs above is not part of it
  Object.assign(t, { downloads: [], uploads: [] });
  const g = withGrad(proj.params, () => (elim ? elimStep : baselineStep)(input)(env));
  const traffic = { ...t, downloads: [...t.downloads], uploads: [...t.uploads], loss: NaN };
  expect(E.isRight(g), JSON.stringify(E.isLeft(g) && g.left)).toBe(true);
  if (E.isRight(g)) {
    expect(g.right.out.outcome._tag).toBe(elim ? 'Grouped' : 'Disabled');
    traffic.loss = g.right.out.loss.item();
    g.right.out.loss.dispose();
    for (const x of g.right.grads.values()) x.dispose();
  }
  return traffic;
};

/** ELIM losses on the CPU backend, by case, for the gpujs comparison. */
const cpuLoss = new Map<string, number>();

const checkBackend = (make: () => Backend) => {
  for (const [label, overrides] of [
    ['detached per-sample shift (default)', {}],
    ['differentiable shift', { detachShift: false }],
    ['vector shift', { shift: 'vector' }],
  ] as const) {
    it(`${label}: one sinkhornBatched call, its plan never read back, downloads as the baseline step's`, () => {
      const be = make();
      const elim = stepTraffic(be, true, overrides);
      const base = stepTraffic(be, false, overrides);
      expect(elim.plans).toHaveLength(1);
      expect(elim.planDownloads).toBe(0);
      expect(elim.downloads).toEqual(base.downloads);
      expect(base.downloads).toEqual([B * D, B * 2]); // validate: features and labels, once
      const planSize = elim.plans[0].size;
      expect(elim.uploads.filter((n) => n === planSize)).toEqual([]);
      if (be.name === 'cpu') cpuLoss.set(label, elim.loss);
      else expect(Math.abs(elim.loss - cpuLoss.get(label)!)).toBeLessThanOrEqual(1e-5 * Math.abs(cpuLoss.get(label)!));
    });
  }
};

describe('transport on the device: no plan readback per step', () => {
  describe('cpu', () => checkBackend(() => createCpuBackend({ threads: 1 })));

  describe('gpujs', () => {
    let gpu: GpujsBackend | undefined;
    afterAll(() => gpu?.destroy());
    checkBackend(() => {
      gpu ??= createGpujsBackend({ log: () => undefined, requireGL: process.env.ELIM_REQUIRE_GL === '1' });
      if (process.env.ELIM_REQUIRE_GL === '1') expect(isGLKernelClass(gpu.kernelClass)).toBe(true);
      return gpu;
    });
  });
});
