import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';
import { synthesizeInMemory } from '../data/synthetic/synthesize.js';
import { makeConfig } from '../config.js';
import { imageSetFromSynthetic, subsetByIdentity } from './image-set.js';
import { phasesFor } from './elim-objective.js';
import { formatTrainError } from './errors.js';
import { train, type TrainSettings } from './trainer.js';
import { createEventSink } from '../cli/events.js';
import { tinySettings, trainPlan } from './trainer.test-helpers.js';

const backend = useBackend(createCpuBackend({ threads: 1 }));
const ds = synthesizeInMemory({ seed: 3, identities: 8, heldOut: 2, frames: 12, size: 16 });
const all = imageSetFromSynthetic(ds);
const trainSet = subsetByIdentity(all, new Set(ds.trainIdentities));

const settings = (steps: number): TrainSettings => tinySettings(steps);

const run = async (method: 'elim' | 'baseline', steps: number, extra: Partial<Parameters<typeof train>[0]> = {}) => {
  const config = makeConfig({ elim: method === 'elim', domains: 4, topk: 3, warmup: { w1: 0, w2: 1 } });
  const plan = phasesFor(method, config, 16, 0);
  return trainPlan(settings(steps), plan, backend, trainSet, createEventSink({ quiet: true }), extra);
};

describe('trainer', () => {
  it('runs ELIM and baseline steps and the ELIM term is active', async () => {
    const r = await run('elim', 3);
    if (E.isLeft(r)) throw new Error(formatTrainError(r.left));
    expect(r.right.step).toBe(3);
    // iteration 0 is inside the warm-up (factor iteration / w2 = 0); the ELIM term runs after it
    expect(r.right.outcomes).toEqual({ warmup: 1, elim: 2 });
    expect(r.right.history[2].terms.main).toBeGreaterThan(0);
    const b = await run('baseline', 3);
    if (E.isLeft(b)) throw new Error(formatTrainError(b.left));
    expect(b.right.outcomes.baseline).toBe(3);
  });

  it('resumes from a checkpoint with the same losses as an uninterrupted run', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'elim-resume-'));
    const ckpt = path.join(dir, 'checkpoint.safetensors');
    const full = await run('elim', 6);
    const first = await run('elim', 3, { checkpointPath: ckpt });
    expect(E.isRight(first)).toBe(true);
    const cont = await run('elim', 6, { checkpointPath: ckpt, resume: true });
    if (E.isLeft(full) || E.isLeft(cont)) throw new Error('run failed');
    const a = full.right.history.slice(3).map((h) => h.terms.total);
    const b = cont.right.history.map((h) => h.terms.total);
    expect(b).toEqual(a);
  });

  it("a stage's Left comes back as StageFailed carrying the ElimError, its tag, stage and field", async () => {
    // a learning rate that overflows the encoder: the next step's features are not finite
    const s = settings(6);
    const r = await run('elim', 6, { settings: { ...s, optimizer: { ...s.optimizer, lr: 1e6 } } });
    if (E.isRight(r) || r.left._tag !== 'StageFailed') throw new Error(`expected StageFailed, got ${JSON.stringify(E.isLeft(r) && r.left)}`);
    const { error, phase, step } = r.left;
    expect(phase).toBe('elim');
    expect(step).toBeGreaterThan(0);
    expect(error).toMatchObject({ _tag: 'NonFinite', stage: 'validate', what: 'features', index: 0 });
    expect(formatTrainError(r.left)).toMatch(/^iteration \d+, phase elim: \[validate\] \d+ non-finite value\(s\) in features, first in sample 0$/);
  });

  it('data and checkpoint failures keep their own typed cause', async () => {
    const s = settings(2);
    const tooMany = await run('elim', 2, { settings: { ...s, batch: { identities: 7, perIdentity: 4 } } });
    expect(E.isLeft(tooMany) && tooMany.left).toMatchObject({ _tag: 'DataFailed', error: { _tag: 'EmptyIdentity', file: '<sampler>' } });
    const missing = path.join(mkdtempSync(path.join(tmpdir(), 'elim-missing-')), 'none.safetensors');
    const resume = await run('elim', 2, { checkpointPath: missing, resume: true });
    expect(E.isLeft(resume) && resume.left).toMatchObject({ _tag: 'CheckpointFailed', op: 'resume', path: missing, error: { _tag: 'IoError' } });
    expect(E.isLeft(resume) && formatTrainError(resume.left)).not.toMatch(/\n/);
  });
});
