/**
 * End to end through the real `elim` binary (dist/, built by `npm test` first): train ->
 * checkpoint -> SIGKILL -> resume -> eval -> predict, compare, and the failure paths (bad
 * paths, bad configs, unknown options) with their exit codes. Tiny sizes: a few seconds each.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'elim.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'elim-cli-'));

const TINY = [
  '--backend',
  'cpu',
  '--input-size',
  '16',
  '--width',
  '0.25',
  '--hidden',
  '16',
  '--latent',
  '8',
  '--synth-identities',
  '8',
  '--synth-held-out',
  '2',
  '--synth-frames',
  '8',
  '--identities-per-batch',
  '3',
  '--images-per-identity',
  '4',
  '--no-plots',
  '--log-every',
  '1',
];

const elim = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', input, env: { ...process.env, ELIM_THREADS: '1' }, timeout: 120_000 });

const events = (dir: string) =>
  readFileSync(path.join(dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const stepLosses = (dir: string) =>
  events(dir)
    .filter((e) => e.event === 'step')
    .map((e) => [e.step as number, e.total as number] as const);

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'pipelines', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
});

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
      env: { ...process.env, ELIM_THREADS: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const deadline = Date.now() + 60_000;
    const hasCheckpoint = () =>
      existsSync(path.join(killed, 'events.jsonl')) && events(killed).some((e) => e.event === 'checkpoint' && (e.step as number) >= 4);
    while (!hasCheckpoint()) {
      if (Date.now() > deadline) throw new Error('no step-4 checkpoint within 60 s');
      await new Promise((r2) => setTimeout(r2, 20));
    }
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
    const pred = elim([
      'predict',
      '--checkpoint',
      path.join(full, 'checkpoint.safetensors'),
      '--backend',
      'cpu',
      '--out',
      path.join(tmp, 'p.csv'),
      path.join(tmp, 'synth', 'labels.csv'),
    ]);
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
    const pred = elim([
      'predict',
      '--checkpoint',
      path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'),
      '--backend',
      'cpu',
      '--per-identity',
      '--out',
      path.join(tmp, 'p15.csv'),
      path.join(tmp, 'synth-15', 'labels.csv'),
    ]);
    expect(pred.status, pred.stderr).toBe(0);
    const rows = readFileSync(path.join(tmp, 'p15.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe('path,identity,valence,arousal');
    expect(rows.length).toBe(1 + 12);
    expect(new Set(rows.slice(1).map((x) => x.split(',')[1]))).toEqual(new Set(['id000', 'id001', 'id002']));
    for (const row of rows.slice(1)) for (const v of row.split(',').slice(2).map(Number)) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    // a missing anchor file and --anchor without --per-identity are errors
    const noAnchor = elim([
      'predict',
      '--checkpoint',
      path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'),
      '--backend',
      'cpu',
      '--per-identity',
      '--anchor',
      path.join(tmp, 'none.json'),
      '--out',
      path.join(tmp, 'p15b.csv'),
      path.join(tmp, 'synth-15', 'labels.csv'),
    ]);
    expect(noAnchor.status).toBe(1);
    expect(noAnchor.stderr).toMatch(/anchor latents/);
    expect(
      elim([
        'predict',
        '--checkpoint',
        path.join(out, 'seed-1', 'adv', 'checkpoint.safetensors'),
        '--backend',
        'cpu',
        '--anchor',
        'x.json',
        path.join(tmp, 'synth-15', 'labels.csv'),
      ]).status,
    ).toBe(1);
    // a variant 'baseline' with another method is a usage error
    writeFileSync(file, JSON.stringify({ baseline: { method: 'elim' }, paper: {} }));
    expect(elim(args).status).toBe(2);
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
    const two = (dir: string) =>
      spawnSync(process.execPath, [bin, ...args, '--out', path.join(tmp, dir)], {
        cwd: tmp,
        encoding: 'utf8',
        env: { ...process.env, ELIM_THREADS: '2' },
        timeout: 120_000,
      });
    const a = two('t2-a');
    const b = two('t2-b');
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(tmp, 't2-a', 'config.json'), 'utf8')).backend.kernelClass).toMatch(/2 threads/);
    expect(stepLosses(path.join(tmp, 't2-b'))).toEqual(stepLosses(path.join(tmp, 't2-a')));
    const m = (d: string) => JSON.parse(readFileSync(path.join(tmp, d, 'metrics.json'), 'utf8'));
    expect(m('t2-b').heldOut).toEqual(m('t2-a').heldOut);
  }, 120_000);

  it('bad paths, configs and options fail with clear messages and non-zero exit codes', () => {
    const unknown = elim(['train', '--no-such-option', '1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option --no-such-option/);
    const badValue = elim(['train', '--steps', 'many']);
    expect(badValue.status).toBe(2);
    expect(badValue.stderr).toMatch(/--steps expects an integer/);
    const badEnum = elim(['train', '--backbone', 'vgg']);
    expect(badEnum.status).toBe(2);
    expect(badEnum.stderr).toMatch(/must be one of/);
    const cfg = path.join(tmp, 'bad.yaml');
    writeFileSync(cfg, 'steps: 3\nlamda: 4\n');
    const badKey = elim(['train', '--config', cfg]);
    expect(badKey.status).toBe(2);
    expect(badKey.stderr).toMatch(/unknown key 'lamda'/);
    writeFileSync(cfg, '{ not json');
    const badJson = elim(['train', '--config', cfg.replace('.yaml', '.json')]);
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toMatch(/cannot read config file/);
    const missingData = elim(['train', ...TINY, '--data', 'generic-csv', '--data-path', path.join(tmp, 'nope.csv'), '--out', path.join(tmp, 'x')]);
    expect(missingData.status).toBe(1);
    expect(missingData.stderr).toMatch(/nope\.csv/);
    const noCkpt = elim(['eval', '--checkpoint', path.join(tmp, 'missing.safetensors'), '--backend', 'cpu']);
    expect(noCkpt.status).toBe(1);
    expect(noCkpt.stderr).toMatch(/cannot read checkpoint/);
    const cmd = elim(['frobnicate']);
    expect(cmd.status).toBe(2);
    expect(elim(['train', '--help']).stdout).toMatch(/--lambda <number>/);
  }, 120_000);

  it('the JSON interop commands answer on stdout, and name the bad field on stderr', () => {
    const ok = elim(
      ['metrics'],
      JSON.stringify({
        yTrue: [
          [0.1, 0.2],
          [0.3, -0.4],
          [-0.5, 0.6],
        ],
        yPred: [
          [0.1, 0.2],
          [0.3, -0.4],
          [-0.5, 0.6],
        ],
      }),
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).valence.ccc).toBe(1);
    const bad = elim(
      ['ot'],
      JSON.stringify({
        cost: [
          [0, 1],
          [1, 0],
        ],
        a: [0.5, 0.5],
        b: [0.5, 'x'],
        lambda: 5,
      }),
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/b/);
  });
});
