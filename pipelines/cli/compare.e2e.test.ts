/**
 * `elim compare` end to end through the real binary (dist/, built by `npm test` first): paired
 * seeds, variants, --average-last, --reuse, the issue #15 rows (regularised baseline, adversarial
 * reference, test-time matching) and predicting from a compared run's checkpoint.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { elimIn, predictArgs, requireDist, tempFolder, tinyModel } from './e2e.test-helpers.js';

const tmp = tempFolder('cmp');
const TINY = ['--backend', 'cpu', ...tinyModel({ identities: 8, frames: 8 })];
const elim = elimIn(tmp);

beforeAll(requireDist);

describe('elim compare end to end', () => {
  it('compare writes compare.json with mean, std and per-seed values for both methods and splits', () => {
    const out = path.join(tmp, 'cmp');
    // --seeds 2 is a count: seeds 0 and 1
    const r = elim(['compare', ...TINY, '--steps', '3', '--seeds', '2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/held-out/i);
    expect(r.stdout).toMatch(/n = 2 paired seeds/);
    const c = JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(c.seeds).toEqual([0, 1]);
    for (const split of ['heldOut', 'train'])
      for (const m of ['elim', 'baseline'])
        for (const axis of ['valence', 'arousal'])
          for (const metric of ['rmse', 'sagr', 'pcc', 'ccc']) {
            const s = c[split][m][axis][metric];
            expect(s.values).toHaveLength(2);
            expect(s.mean).toBeCloseTo((s.values[0] + s.values[1]) / 2, 10);
            expect(s.std).toBeGreaterThanOrEqual(0);
          }
  }, 240_000);

  it('compare --variants: one baseline per seed against several ELIM configs, paired differences, --average-last, --reuse', () => {
    const out = path.join(tmp, 'cmp-variants');
    const file = path.join(tmp, 'variants.json');
    writeFileSync(file, JSON.stringify({ paper: {}, vec: { shift: 'vector', anchors: 2 }, idvec: { shift: 'identity-vector', 'detach-shift': false } }));
    const args = ['compare', ...TINY, '--steps', '4', '--validate-every', '2', '--average-last', '2', '--seeds', '1,2', '--variants', file, '--out', out];
    const r = elim(args);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CCC per variant/);
    const c = JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(Object.keys(c.variants)).toEqual(['paper', 'vec', 'idvec']);
    expect(c.averageLast).toBe(2);
    expect(c.heldOut.elim).toEqual(c.variants.paper.heldOut); // the first variant fills the elim fields
    for (const v of ['paper', 'vec', 'idvec'])
      for (const split of ['heldOut', 'train'])
        for (const axis of ['valence', 'arousal']) {
          const d = c.differences[v][split][axis].ccc;
          const want = c.variants[v][split][axis].ccc.values.map((x: number, i: number) => x - c[split].baseline[axis].ccc.values[i]);
          d.values.forEach((x: number, i: number) => expect(x).toBeCloseTo(want[i], 12));
          expect(d.se).toBeCloseTo(d.std / Math.sqrt(2), 12);
        }
    for (const v of ['baseline', 'paper', 'vec', 'idvec']) expect(existsSync(path.join(out, 'seed-2', v, 'metrics.json'))).toBe(true);
    // held-out = mean of the last two validations (steps 2 and 4)
    const m = JSON.parse(readFileSync(path.join(out, 'seed-1', 'vec', 'metrics.json'), 'utf8'));
    expect(m.validations.map((x: { step: number }) => x.step)).toEqual([2, 4]);
    expect(c.variants.vec.heldOut.valence.ccc.values[0]).toBeCloseTo((m.validations[0].metrics.valence.ccc + m.validations[1].metrics.valence.ccc) / 2, 12);
    // --reuse takes the finished runs: the same numbers
    const again = elim([...args, '--reuse']);
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8')).differences).toEqual(c.differences);
    // a bad variant option is a usage error
    writeFileSync(file, JSON.stringify({ bad: { shift: 'sideways' } }));
    expect(elim(args).status).toBe(2);
  }, 240_000);

  it('compare (issue #15): variants with a method, a regularised baseline, the adversarial reference, test-time matching rows; synth regimes', () => {
    const out = path.join(tmp, 'cmp-15');
    const file = path.join(tmp, 'variants-15.json');
    writeFileSync(
      file,
      JSON.stringify({
        baseline: { 'weight-decay': 0.001, 'early-stop-fraction': 0.3, 'augment-jitter': 0.2, 'augment-translate': 1 },
        plain: { method: 'baseline' },
        adv: { method: 'adversarial', 'adv-weight': 0.5 },
        paper: {},
      }),
    );
    const args = [
      'compare',
      ...TINY,
      '--steps',
      '4',
      '--validate-every',
      '2',
      '--seeds',
      '0..1',
      '--synth-band',
      'disc',
      '--synth-style',
      'strong',
      '--variants',
      file,
      '--out',
      out,
    ];
    const r = elim(args);
    expect(r.status, r.stderr).toBe(0);
    for (const row of ['baseline+ttm', 'plain', 'plain+ttm', 'adv', 'adv+ttm', 'paper', 'paper+ttm'])
      expect(r.stdout).toMatch(new RegExp(`\\| ${row.replace('+', '\\+')} +\\|`));
    const c = JSON.parse(readFileSync(path.join(out, 'compare.json'), 'utf8'));
    expect(c.variants.adv.method).toBe('adversarial');
    expect(c.baselineOptions['early-stop-fraction']).toBe(0.3);
    const d = c.differences.paper.heldOutMatched.valence.ccc;
    const want = c.variants.paper.heldOutMatched.valence.ccc.values.map((x: number, i: number) => x - c.heldOut.baseline.valence.ccc.values[i]);
    d.values.forEach((x: number, i: number) => expect(x).toBeCloseTo(want[i], 12));
    const base = JSON.parse(readFileSync(path.join(out, 'seed-0', 'baseline', 'metrics.json'), 'utf8'));
    expect(base.earlyStopping.step).toBeGreaterThan(0);
    const cfg = JSON.parse(readFileSync(path.join(out, 'seed-0', 'baseline', 'config.json'), 'utf8'));
    expect(cfg.settings.earlyStop).toEqual({ fraction: 0.3 });
    expect(cfg.settings.augment).toEqual({ flip: true, jitter: 0.2, translate: 1 });
    expect(cfg.data.description).toMatch(/regime band=disc style=strong/);
    const adv = JSON.parse(readFileSync(path.join(out, 'seed-1', 'adv', 'config.json'), 'utf8'));
    expect(adv.settings.adversary).toEqual({ weight: 0.5, lambda: 1, hidden: 64 });
    // the adversarial run's checkpoint (identity classifier included) loads for prediction with matching
    const synth = elim([
      'synth',
      '--out',
      path.join(tmp, 'synth-15'),
      '--identities',
      '3',
      '--held-out',
      '1',
      '--frames',
      '4',
      '--size',
      '16',
      '--band',
      'disc',
      '--style',
      'strong',
    ]);
    expect(synth.status, synth.stderr).toBe(0);
    const pred = elim(
      predictArgs(path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'), path.join(tmp, 'synth-15', 'labels.csv'), [
        '--per-identity',
        '--out',
        path.join(tmp, 'p15.csv'),
      ]),
    );
    expect(pred.status, pred.stderr).toBe(0);
    const rows = readFileSync(path.join(tmp, 'p15.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('path,identity,valence,arousal');
    expect(rows.length).toBe(1 + 12);
    expect(new Set(rows.slice(1).map((x) => x.split(',')[1]))).toEqual(new Set(['id000', 'id001', 'id002']));
    for (const row of rows.slice(1)) for (const v of row.split(',').slice(2).map(Number)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    // a missing anchor file and --anchor without --per-identity are errors
    const noAnchor = elim(
      predictArgs(path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'), path.join(tmp, 'synth-15', 'labels.csv'), [
        '--per-identity',
        '--anchor',
        path.join(tmp, 'none.json'),
        '--out',
        path.join(tmp, 'p15b.csv'),
      ]),
    );
    expect(noAnchor.status).toBe(1);
    expect(noAnchor.stderr).toMatch(/anchor latents/);
    expect(
      elim(predictArgs(path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'), path.join(tmp, 'synth-15', 'labels.csv'), ['--anchor', 'x.json'])).status,
    ).toBe(1);
    // a variant 'baseline' with another method is a usage error
    writeFileSync(file, JSON.stringify({ baseline: { method: 'elim' }, paper: {} }));
    expect(elim(args).status).toBe(2);
  }, 240_000);
});
