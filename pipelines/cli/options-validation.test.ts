/**
 * The train options as a user gives them (flags -> resolved options -> run spec and data spec):
 * every value issue #16 saw accepted silently is now a one-line error naming the option.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseArgv, resolveOptions } from './args.js';
import { dataSpecFrom, dataSpecOver } from './data-options.js';
import { runSpecFrom, TRAIN_OPTIONS } from './train-options.js';
import type { DataSpec } from '../train/load-data.js';

const spec = { name: 'train', summary: '', options: TRAIN_OPTIONS };
const resolve = (argv: string[]) => {
  const p = parseArgv(spec, argv);
  if (E.isLeft(p)) return E.left(p.left.message);
  const r = resolveOptions(spec, p.right);
  return E.isLeft(r) ? E.left(r.left.message) : E.right(r.right);
};
const runSpecError = (argv: string[]): string => {
  const o = resolve(argv);
  if (E.isLeft(o)) return o.left;
  const r = runSpecFrom(o.right);
  if (E.isLeft(r)) return r.left.message;
  const d = dataSpecFrom(o.right, 32, 0);
  return E.isLeft(d) ? d.left.message : 'accepted';
};

describe('train options', () => {
  it('accepts the defaults', () => expect(runSpecError([])).toBe('accepted'));
  it('--data-path without --data is an error, not a run on synthetic faces', () => {
    expect(runSpecError(['--data-path', 'labels.csv'])).toMatch(/--data-path needs --data/);
    expect(runSpecError(['--images-root', 'imgs'])).toMatch(/--images-root needs --data/);
  });
  it('seeds outside 32 bits are refused', () => {
    expect(runSpecError(['--seed', '4294967296'])).toMatch(/--seed must be <= 4294967295/);
    expect(runSpecError(['--seed', '1e300'])).toMatch(/--seed/);
    expect(runSpecError(['--seed', '-1'])).toMatch(/--seed must be >= 0/);
  });
  it('clamped or negative values are refused with the option named', () => {
    expect(runSpecError(['--domains', '50'])).toMatch(/^--domains: 50 domains per batch/);
    expect(runSpecError(['--topk', '1000'])).toMatch(/^--topk: k = 1000/);
    expect(runSpecError(['--main-scale', '-1'])).toMatch(/--main-scale must be >= 0/);
    expect(runSpecError(['--backbone', 'alexnet'])).toMatch(/^--input-size: alexnet needs at least 63/);
    expect(runSpecError(['--matching', 'attention', '--attention-heads', '3'])).toMatch(/^--attention-heads: 3 heads do not divide/);
    expect(runSpecError(['--synth-identities', '6', '--synth-held-out', '6'])).toMatch(/^--synth-held-out/);
    expect(runSpecError(['--width', '1000'])).toMatch(/--width must be <= 4/);
  });
});

describe('eval data options over the trained data', () => {
  const trained: DataSpec = {
    source: 'generic-csv',
    path: '/data/a.csv',
    imagesRoot: '/data/img',
    domainKey: 'identity',
    size: 32,
    seed: 3,
    synth: { identities: 48, heldOut: 16, frames: 40 },
    heldOutFraction: 0.25,
    badRecords: 'skip',
  };
  it('one option given keeps the rest of what the run was trained on', () => {
    const d = dataSpecOver(trained, { dataPath: '/data/b.csv' }, 32, 3);
    expect(d).toEqual(E.right({ ...trained, path: '/data/b.csv' }));
    const bad = dataSpecOver(trained, { badRecords: 'error' }, 32, 3);
    expect(E.isRight(bad) && bad.right).toMatchObject({ source: 'generic-csv', path: '/data/a.csv', badRecords: 'error' });
  });
  it('a path for a run trained on synthetic faces needs --data', () => {
    const synth: DataSpec = { ...trained, source: 'synthetic', path: undefined, imagesRoot: undefined };
    const r = dataSpecOver(synth, { dataPath: '/data/b.csv' }, 32, 3);
    expect(E.isLeft(r) && r.left.message).toMatch(/--data-path needs --data/);
    const ok = dataSpecOver(synth, { data: 'generic-csv', dataPath: '/data/b.csv' }, 32, 3);
    expect(E.isRight(ok) && ok.right).toMatchObject({ source: 'generic-csv', path: '/data/b.csv' });
    expect(E.isRight(ok) && ok.right.imagesRoot).toBeUndefined();
  });
});
