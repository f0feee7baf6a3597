/**
 * A stage's Left reaches the user as one typed line (issue #17): through the real `elim` binary
 * (dist/), a learning rate that overflows the encoder makes the validate stage return
 * `NonFinite` for the features at the next iteration; `elim train` prints that one line, naming
 * the iteration, the phase, the stage and the field, and exits 1 (the work failed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'elim.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'elim-errors-'));

const TINY = '--backend cpu --input-size 16 --width 0.25 --hidden 16 --latent 8 --synth-identities 8 --synth-held-out 2 --synth-frames 8'.split(' ');
const BATCH = '--identities-per-batch 3 --images-per-identity 4 --no-plots --log-every 1'.split(' ');

beforeAll(() => {
  if (!existsSync(path.join(root, 'dist', 'pipelines', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
});

describe('elim train: typed stage errors', () => {
  it('a stage Left (NonFinite features at validate) is one line naming stage and field, exit 1', () => {
    const out = path.join(tmp, 'diverged');
    const r = spawnSync(process.execPath, [bin, 'train', ...TINY, ...BATCH, '--steps', '6', '--lr', '1e6', '--out', out], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, ELIM_THREADS: '1' },
      timeout: 240_000,
    });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: train: iteration [1-5], phase elim: \[validate\] \d+ non-finite value\(s\) in features, first in sample 0$/);
    expect(r.stderr).not.toMatch(/ELIM_DEBUG|EngineError|NumericError/); // a value all the way, not a thrown error
  }, 300_000);
});
