/**
 * Issue #16 through the real `elim` binary (dist/, built by `npm test` first), with hostile
 * inputs generated here: stop signals, a second run into a busy folder, a full disk, foreign or
 * damaged checkpoints, unreadable images in predict, and ordinary mistakes that must read as one
 * line naming the option or file. Tiny models: a few seconds each.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, type RawTensor } from '../../lib/checkpoint/safetensors.js';
import { encodePng } from '../data/synthetic/write-synthetic.js';
import { bin, cliEnv, elimIn, events, requireDist, tempFolder, tinyModel, waitFor } from './e2e.test-helpers.js';

const tmp = tempFolder('rel');
const env = cliEnv();
const TINY = ['--backend', 'cpu', ...tinyModel({ identities: 6, frames: 6 })];
const elim = elimIn(tmp, env);
const base = path.join(tmp, 'base');
const ckpt = path.join(base, 'checkpoint.safetensors');

/** One line on stderr, no stack frames. */
const oneLine = (stderr: string) => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n')).toHaveLength(1);
};

/** The base checkpoint with its tensors and metadata edited. */
const editedCheckpoint = (file: string, edit: (t: Map<string, RawTensor>, meta: Record<string, string>) => void) => {
  const d = decodeSafetensors(new Uint8Array(readFileSync(ckpt)));
  if (E.isLeft(d)) throw new Error('base checkpoint does not decode');
  const tensors = new Map([...d.right.tensors].map(([n, t]) => [n, { shape: t.shape, data: t.data }] as const));
  const meta = { ...d.right.metadata };
  edit(tensors, meta);
  writeFileSync(file, encodeSafetensors(tensors, meta));
  cpSync(path.join(base, 'config.json'), path.join(path.dirname(file), 'config.json'));
};

beforeAll(() => {
  requireDist();
  const r = elim(['train', ...TINY, '--steps', '3', '--out', base]);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe('lost work', () => {
  it('SIGTERM stops like Ctrl-C (checkpoint at the stopped step, exit 143); meanwhile a second run into the folder is refused naming the pid', async () => {
    const dir = path.join(tmp, 'term');
    const child = spawn(process.execPath, [bin, 'train', ...TINY, '--steps', '100000', '--checkpoint-every', '0', '--validate-every', '0', '--out', dir], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('a step event', () => events(dir).some((e) => e.event === 'step'));
      const second = elim(['train', ...TINY, '--steps', '3', '--out', dir]);
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`in use by another run \\(pid ${child.pid}`));
      oneLine(second.stderr);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 60_000))]);
    if (code === 'late') child.kill('SIGKILL');
    expect(code).toBe(143);
    expect(stderr).toMatch(/stopped after (\d+) iterations/);
    const stoppedAt = Number(/stopped after (\d+) iterations/.exec(stderr)![1]);
    const cps = events(dir).filter((e) => e.event === 'checkpoint');
    expect(cps.at(-1)?.step).toBe(stoppedAt);
    expect(existsSync(path.join(dir, '.elim.lock'))).toBe(false);
  }, 120_000);

  it('an event log on a full disk stops the run with a checkpoint and a one-line reason', () => {
    const dir = path.join(tmp, 'full');
    mkdirSync(dir);
    symlinkSync('/dev/full', path.join(dir, 'events.jsonl'));
    const r = elim(['train', ...TINY, '--steps', '50', '--checkpoint-every', '0', '--out', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot write the event log .*ENOSPC.*stopped at iteration \d+ with a checkpoint/);
    expect(existsSync(path.join(dir, 'checkpoint.safetensors'))).toBe(true);
  }, 120_000);

  it('predict with --out naming a folder is refused before the work', () => {
    const r = elim(['predict', '--checkpoint', ckpt, '--backend', 'cpu', '--out', tmp, path.join(base, 'config.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out .* is a folder/);
  });
});

describe('resume refuses a checkpoint that is not this run', () => {
  it('another seed or a step beyond --steps is refused, naming the field; config.json stays as it was', () => {
    const dir = path.join(tmp, 'resume');
    cpSync(base, dir, { recursive: true });
    const before = readFileSync(path.join(dir, 'config.json'), 'utf8');
    const seed = elim(['train', ...TINY, '--steps', '6', '--seed', '1', '--resume', '--out', dir]);
    expect(seed.status).toBe(1);
    expect(seed.stderr).toMatch(/written with --seed 0, this run has --seed 1/);
    const method = elim(['train', ...TINY, '--steps', '6', '--method', 'baseline', '--resume', '--out', dir]);
    expect(method.stderr).toMatch(/method = "elim", this run has "baseline"/);
    const steps = elim(['train', ...TINY, '--steps', '2', '--resume', '--out', dir]);
    expect(steps.status).toBe(1);
    expect(steps.stderr).toMatch(/at step 3, beyond this run's --steps 2/);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).toBe(before);
  }, 120_000);
});

describe('damaged checkpoints', () => {
  it('NaN weights and impossible metadata are refused on load, naming the tensor or field', () => {
    const nan = path.join(tmp, 'nan', 'checkpoint.safetensors');
    mkdirSync(path.dirname(nan));
    editedCheckpoint(nan, (t) => {
      const [name, first] = [...t].find(([n]) => n.startsWith('params/'))!;
      const data = first.data.slice();
      data[0] = NaN;
      t.set(name, { shape: first.shape, data });
    });
    const r = elim(['eval', '--checkpoint', nan, '--backend', 'cpu']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/non-finite weights/);

    const wide = path.join(tmp, 'wide', 'checkpoint.safetensors');
    mkdirSync(path.dirname(wide));
    editedCheckpoint(wide, (_t, meta) => {
      meta['user.modelSpec'] = JSON.stringify({ ...JSON.parse(meta['user.modelSpec']), width: 1000 });
    });
    const w = elim(['predict', '--checkpoint', wide, '--backend', 'cpu', '--out', path.join(tmp, 'w.csv'), path.join(base, 'config.json')]);
    expect(w.status).toBe(1);
    expect(w.stderr).toMatch(/metadata modelSpec width: must be a number from 0.01 to 4; got 1000/);
    oneLine(w.stderr);
  }, 120_000);
});

describe('predict keeps every good prediction', () => {
  it('one good and two unreadable images with --batch 2: the good one is written, the bad counted', async () => {
    const dir = path.join(tmp, 'imgs');
    mkdirSync(dir);
    const px = new Uint8Array(16 * 16 * 4).fill(128);
    writeFileSync(path.join(dir, 'a-good.png'), await encodePng(px, 16, 16));
    writeFileSync(path.join(dir, 'b-bad.png'), 'not a png');
    writeFileSync(path.join(dir, 'c-bad.png'), 'not a png either');
    const out = path.join(tmp, 'pred.csv');
    const r = elim(['predict', '--checkpoint', ckpt, '--backend', 'cpu', '--batch', '2', '--out', out, dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/predicted 1 images .* 2 unreadable skipped/);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatch(/a-good\.png,/);
  }, 120_000);
});

describe('ordinary mistakes read as one line naming the option', () => {
  // a few through the binary (the exit code and the single line); every option case is in options-validation.test.ts
  it.each([
    [['train', '--backbone', 'alexnet'], /--input-size: alexnet needs at least 63/],
    [['compare', '--seeds', '0,0'], /seed 0 is repeated/],
    [['eval', '--checkpoint', ckpt, '--backend', 'cpu', '--data-path', 'labels.csv'], /--data-path needs --data/],
  ])(
    'elim %s',
    (args, message) => {
      const r = elim(args as string[]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      oneLine(r.stderr);
    },
    130_000,
  );

  it('an existing file as the run folder, and elim ot over its iteration cap', () => {
    const file = path.join(tmp, 'plain-file');
    writeFileSync(file, 'x');
    const r = elim(['train', ...TINY, '--steps', '1', '--out', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/exists and is not a folder/);
    oneLine(r.stderr);
    const ot = elim(
      ['ot'],
      JSON.stringify({
        cost: [
          [0, 1],
          [1, 0],
        ],
        lambda: 5,
        iterations: 1e10,
      }),
    );
    expect(ot.status).toBe(2);
    expect(ot.stderr).toMatch(/iterations: at most 1000000/);
  });
});
