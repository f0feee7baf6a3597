/**
 * What the CLI end-to-end tests share: the real `elim` binary (dist/, built by `npm test`
 * first), a temporary working folder per test file, the tiny model's options (a few seconds a
 * run) and readers of a run's events.jsonl.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = path.join(root, 'bin', 'elim.js');

/** A fresh folder under the OS temp dir (elim-<prefix>-XXXXXX). */
export const tempFolder = (prefix: string): string => mkdtempSync(path.join(tmpdir(), `elim-${prefix}-`));

/** Throws unless dist/ holds the CLI. */
export const requireDist = (): void => {
  if (!existsSync(path.join(root, 'dist', 'pipelines', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
};

/** The tiny AL64 (16 px, width 0.25) on a small synthetic set; no backend, steps or output folder. */
export const tinyModel = (synth: { identities: number; frames: number }): string[] => [
  '--input-size',
  '16',
  '--width',
  '0.25',
  '--hidden',
  '16',
  '--latent',
  '8',
  '--synth-identities',
  String(synth.identities),
  '--synth-held-out',
  '2',
  '--synth-frames',
  String(synth.frames),
  '--identities-per-batch',
  '3',
  '--images-per-identity',
  '4',
  '--no-plots',
  '--log-every',
  '1',
];

/** `elim predict` on the CPU backend: the checkpoint, then `flags`, then the labels file. */
export const predictArgs = (checkpoint: string, labels: string, flags: string[] = []): string[] => [
  'predict',
  '--checkpoint',
  checkpoint,
  '--backend',
  'cpu',
  ...flags,
  labels,
];

/** The environment the tests run the binary in: one kernel thread unless `extra` says otherwise. */
export const cliEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, ELIM_THREADS: '1', ...extra });

/** Runs `elim <args>` to the end in `cwd` (stdin `input`), as spawnSync returns it. */
export const elimIn =
  (cwd: string, env: NodeJS.ProcessEnv = cliEnv(), timeout = 120_000) =>
  (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', input, env, timeout });

/** The events a run wrote to `dir`/events.jsonl so far (none before the file exists; a line still being written is left out). */
export const events = (dir: string): Array<Record<string, unknown>> => {
  const f = path.join(dir, 'events.jsonl');
  if (!existsSync(f)) return [];
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith('}'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
};

/** [step, total loss] of each step event. */
export const stepLosses = (dir: string): Array<readonly [number, number]> =>
  events(dir)
    .filter((e) => e.event === 'step')
    .map((e) => [e.step as number, e.total as number] as const);

/** Polls `ok` every 25 ms until it holds; throws after `ms`. */
export const waitFor = async (what: string, ok: () => boolean, ms = 60_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
