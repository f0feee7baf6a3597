/**
 * End to end through the real `elim` binary (dist/, built by `npm test` first): train ->
 * checkpoint -> SIGKILL -> resume -> eval -> predict, and reproducibility under a seed on one and
 * two threads. `compare` is in compare.e2e.test.ts, the failure paths in cli-errors.e2e.test.ts.
 * Tiny sizes: a few seconds each.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, cliEnv, elimIn, events, predictArgs, requireDist, stepLosses, tempFolder, tinyModel, waitFor } from './e2e.test-helpers.js';

const tmp = tempFolder('cli');
const TINY = ['--backend', 'cpu', ...tinyModel({ identities: 8, frames: 8 })];
const elim = elimIn(tmp);

beforeAll(requireDist);

describe('elim CLI end to end', () => {
  it('train writes a run folder; a run killed with SIGKILL resumes with the same losses', async () => {
    const full = path.join(tmp, 'full');
    const r = elim(['train', ...TINY, '--steps', '8', '--checkpoint-every', '2', '--out', full]);
    expect(r.status, r.stderr).toBe(0);
    for (const f of ['config.json', 'events.jsonl', 'checkpoint.safetensors', 'metrics.json', 'summary.md', 'predictions-held-out.csv'])
      expect(existsSync(path.join(full, f)), f).toBe(true);
    const config = JSON.parse(readFileSync(path.join(full, 'config.json'), 'utf8'));
    expect(config.backend.kernelClass).toMatch(/cpu-ts/);
    expect(config.versions.node).toBe(process.version);

    // the same run, killed once its step-4 checkpoint is on disk, then resumed
    const killed = path.join(tmp, 'killed');
    const child = spawn(process.execPath, [bin, 'train', ...TINY, '--steps', '8', '--checkpoint-every', '2', '--out', killed], {
      cwd: tmp,
      env: cliEnv(),
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitFor('a step-4 checkpoint', () => events(killed).some((e) => e.event === 'checkpoint' && (e.step as number) >= 4));
    child.kill('SIGKILL');
    await exited;
    const resumed = elim(['train', ...TINY, '--steps', '8', '--checkpoint-every', '2', '--out', killed, '--resume']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const all = events(killed);
    const at = all.findIndex((e) => e.event === 'resume');
    const start = all[at].step as number;
    const want = new Map(stepLosses(full));
    // the killed run may have logged a step or two past its checkpoint before SIGKILL landed: the
    // resumed run (events after 'resume') redoes every step from the checkpoint, once each, and
    // its losses equal the uninterrupted run's
    const resumedSteps = all
      .slice(at + 1)
      .filter((e) => e.event === 'step')
      .map((e) => [e.step as number, e.total as number] as const);
    expect(resumedSteps.map(([st]) => st)).toEqual(Array.from({ length: 8 - start }, (_, i) => start + 1 + i));
    for (const [st, loss] of resumedSteps) expect(loss).toBe(want.get(st));

    const ev = elim(['eval', '--checkpoint', path.join(full, 'checkpoint.safetensors'), '--backend', 'cpu', '--out', path.join(tmp, 'eval.json')]);
    expect(ev.status, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/held-out identities \(16 images\): valence RMSE/);
    const metrics = JSON.parse(readFileSync(path.join(tmp, 'eval.json'), 'utf8'));
    const trained = JSON.parse(readFileSync(path.join(full, 'metrics.json'), 'utf8'));
    expect(metrics['held-out'].overall.valence.rmse).toBeCloseTo(trained.heldOut.overall.valence.rmse, 6);

    const synth = elim(['synth', '--out', path.join(tmp, 'synth'), '--identities', '3', '--held-out', '1', '--frames', '3', '--size', '16']);
    expect(synth.status, synth.stderr).toBe(0);
    const pred = elim(predictArgs(path.join(full, 'checkpoint.safetensors'), path.join(tmp, 'synth', 'labels.csv'), ['--out', path.join(tmp, 'p.csv')]));
    expect(pred.status, pred.stderr).toBe(0);
    const rows = readFileSync(path.join(tmp, 'p.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('path,valence,arousal');
    expect(rows.length).toBe(1 + 9);
    for (const row of rows.slice(1)) {
      const [, v, a] = row.split(',').map(Number);
      expect(Math.abs(v)).toBeLessThanOrEqual(1);
      expect(Math.abs(a)).toBeLessThanOrEqual(1);
    }
  }, 240_000);

  it('same config and seed on the CPU backend give identical metrics', () => {
    const a = elim(['train', ...TINY, '--steps', '3', '--out', path.join(tmp, 'det-a')]);
    const b = elim(['train', ...TINY, '--steps', '3', '--out', path.join(tmp, 'det-b')]);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    const ma = JSON.parse(readFileSync(path.join(tmp, 'det-a', 'metrics.json'), 'utf8'));
    const mb = JSON.parse(readFileSync(path.join(tmp, 'det-b', 'metrics.json'), 'utf8'));
    expect(mb.heldOut).toEqual(ma.heldOut);
    expect(mb.train).toEqual(ma.train);
  }, 120_000);

  it('two threads: the same seed gives identical losses and metrics (the split work is reproducible)', () => {
    // the default model at batch 64: its convolutions are big enough to be split over both threads
    // (the backward filter pass over images included, whose partial sums once depended on timing)
    const args = [
      'train',
      '--backend',
      'cpu',
      '--steps',
      '4',
      '--log-every',
      '1',
      '--no-plots',
      '--validate-every',
      '0',
      '--checkpoint-every',
      '0',
      '--synth-identities',
      '16',
      '--synth-held-out',
      '4',
      '--synth-frames',
      '8',
    ];
    const two = (dir: string) => elimIn(tmp, cliEnv({ ELIM_THREADS: '2' }))([...args, '--out', path.join(tmp, dir)]);
    const a = two('t2-a');
    const b = two('t2-b');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 't2-a', 'config.json'), 'utf8')).backend.kernelClass).toMatch(/2 threads/);
    expect(stepLosses(path.join(tmp, 't2-b'))).toEqual(stepLosses(path.join(tmp, 't2-a')));
    const m = (d: string) => JSON.parse(readFileSync(path.join(tmp, d, 'metrics.json'), 'utf8'));
    expect(m('t2-b').heldOut).toEqual(m('t2-a').heldOut);
  }, 120_000);
});
