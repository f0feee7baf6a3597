/**
 * The CLI's failure paths through the real binary (dist/, built by `npm test` first): bad
 * paths, bad configs and unknown options with their exit codes, and the JSON interop commands'
 * answers and errors.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { elimIn, requireDist, tempFolder, tinyModel } from './e2e.test-helpers.js';

const tmp = tempFolder('cli-err');
const TINY = ['--backend', 'cpu', ...tinyModel({ identities: 8, frames: 8 })];
const elim = elimIn(tmp);

beforeAll(requireDist);

describe('elim CLI failure paths', () => {
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
