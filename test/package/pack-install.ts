/**
 * The package as a user gets it: `npm pack` the repository (dist/ already built), install the
 * tarball into an empty project with the consumer's files (consumer/), and the figures of both.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const consumer = path.join(repo, 'test/package/consumer');

/** Apparent size of a tree (what `du --apparent-size` counts). */
const treeBytes = (dir: string): number => {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += treeBytes(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
};

/** Runs a command to the end on the CPU backend; its stdout (throws on a non-zero exit). */
export const run = (cmd: string, args: string[], cwd: string, timeout = 300_000): string =>
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ELIM_BACKEND: 'cpu', npm_config_loglevel: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

export interface Installed {
  /** The consumer project (node_modules/elim-ts installed from the tarball, the consumer's .ts files). */
  readonly project: string;
  /** Paths in the tarball. */
  readonly files: readonly string[];
  readonly figures: { tarballBytes: number; tarballFiles: number; installSeconds: number; installedBytes: number };
}

/** Packs the repository into `work` and installs the tarball into `work`/consumer. */
export const packAndInstall = (work: string): Installed => {
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  const project = path.join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const t0 = Date.now();
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, packed[0]!.filename)], project);
  const installSeconds = (Date.now() - t0) / 1000;
  for (const f of ['program.ts', 'node-main.ts', 'browser-main.ts']) copyFileSync(path.join(consumer, f), path.join(project, f));
  return {
    project,
    files: packed[0]!.files.map((f) => f.path),
    figures: {
      tarballBytes: packed[0]!.size,
      tarballFiles: packed[0]!.files.length,
      installSeconds,
      installedBytes: treeBytes(path.join(project, 'node_modules')),
    },
  };
};
