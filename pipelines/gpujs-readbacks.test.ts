/**
 * Host round trips inside one ELIM training step on the gpujs backend (issue #14): the backend is
 * wrapped so that every `download` / `downloadAsync` is counted with the stack that asked for
 * it, and one whole training step runs through it (encoder forward, elimStep, backward, Adam),
 * the loss read once at the end as the trainer logs it.
 * Every read-back is listed by where it came from (the first lib/pipelines frame outside the
 * tensor class); the test bounds the count and the sources, so a new read-back inside the
 * step fails here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createGpujsBackend, type GpujsBackend } from '../kernels/gpujs/gpujs-backend.js';
import { useBackend } from '../lib/backend/current.js';
import type { Backend } from '../lib/backend/backend.js';
import { adam } from '../lib/optim/adam.js';
import { elimStep } from './elim.js';
import { toyStepSetup } from './stages/testing/toy-step.test-helpers.js';

let gpu: GpujsBackend | undefined;
afterAll(() => gpu?.destroy());

/** The backend with its reads counted: one entry per read, the first project frame that asked. */
const counting = (be: Backend): { backend: Backend; reads: string[] } => {
  const reads: string[] = [];
  const where = (): string => {
    const frames = (new Error().stack ?? '')
      .split('\n')
      .slice(1)
      .map((l) => l.trim());
    const own = frames.find(
      (f) =>
        !f.includes('gpujs-readbacks.test') &&
        !f.includes('/kernels/gpujs/') &&
        !f.includes('/lib/tensor/') &&
        !f.includes('node_modules') &&
        /\/(lib|pipelines)\//.test(f),
    );
    return (own ?? frames[1] ?? '?')
      .replace(/^at /, '')
      .replace(/\(.*\/(lib|pipelines)\//, '($1/')
      .replace(/:\d+:\d+\)$|:\d+\)$/, ')');
  };
  const backend = new Proxy(be, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv) as unknown;
      if ((prop === 'download' || prop === 'downloadAsync') && typeof v === 'function') {
        return (...args: unknown[]) => {
          reads.push(where());
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return v;
    },
  });
  return { backend, reads };
};

describe('read-backs in one ELIM training step on gpujs', () => {
  it('only the logged scalars and what the transport stage reads today', () => {
    gpu ??= createGpujsBackend({ log: () => undefined });
    const { backend, reads } = counting(gpu);
    useBackend(backend);
    const { params, run } = toyStepSetup();
    const opt = adam({ lr: 1e-3, betas: [0.5, 0.99] });
    const state = opt.init(params);
    reads.length = 0; // setup (uploads) done: count the step only
    const r = run(elimStep);
    if (E.isLeft(r)) throw new Error(JSON.stringify(r.left));
    opt.step(params, r.right.grads, state); // the optimiser's update is part of the step
    const inStep = [...reads];
    const loss = r.right.out.loss.item(); // the scalar the trainer logs
    expect(Number.isFinite(loss)).toBe(true);
    expect(reads.length).toBe(inStep.length + 1);
    const bySource = new Map<string, number>();
    for (const s of inStep) bySource.set(s, (bySource.get(s) ?? 0) + 1);
    console.log(`[readbacks] ${inStep.length} read-back(s) inside the step:\n${[...bySource].map(([s, n]) => `  ${n} x ${s}`).join('\n')}`);
    // the bound: no more read-backs than today's, and none from anywhere else
    expect(inStep.length).toBeLessThanOrEqual(MAX_READS_PER_STEP);
    for (const src of bySource.keys()) expect(ALLOWED, `a read-back from ${src}`).toContain(src);
  });
});

/**
 * What one step reads back today: the validate stage copies the features z [B, d] and the
 * labels [B, 2] to the host (its finiteness check, and the host copies the grouping and the
 * transport stage solve Sinkhorn from). Two reads per step of B x (d + 2) floats; the
 * Sinkhorn plans themselves cause none. Nothing inside forward, backward or Adam reads back.
 */
const MAX_READS_PER_STEP = 2;
const ALLOWED = ['checkStepData (pipelines/stages/validate.ts)'];
