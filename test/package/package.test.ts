/**
 * The package as a user gets it: `npm pack`, install the tarball into an empty project, import
 * elim-ts by name in Node and run a small program (tensor + gradient, a Sinkhorn solve, one ELIM
 * step, AL64 inference from a checkpoint written by the installed `elim train`), type-check the
 * consumer's files strictly against the emitted .d.ts, run `npx elim --help`; then the same
 * program bundled by esbuild for the browser and run in headless Chromium on the CPU backend
 * (one thread, and Web Workers in a cross-origin isolated page) and on GPU.js WebGL2, with
 * results equal to Node's within the tolerances in program-result.ts.
 *
 * Needs the network (or npm's cache) for the install and Debian's chromium; in CI (CI=true) a
 * missing chromium is a failure, elsewhere the browser part is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { CHROMIUM, haveChromium, launchChromium } from '../chromium.js';
import { bundleForBrowser } from './browser-bundle.js';
import { packAndInstall, repo, run } from './pack-install.js';
import { TOL, worst, type ProgramResult } from './program-result.js';
import { serve } from './serve.js';

const figures: Record<string, number | string> = {};
let work = '';
let project = '';
let files: readonly string[] = [];
let checkpoint = '';
let nodeResult: ProgramResult;
let server: Server | undefined;
let browser: Browser | undefined;

beforeAll(() => {
  if (!existsSync(path.join(repo, 'dist/entries/index.js'))) run('npx', ['tsc', '-p', 'tsconfig.build.json'], repo);
  work = mkdtempSync(path.join(tmpdir(), 'elim-pkg-'));
  // pack what `npm pack` would (the build already ran: scripts/test.sh builds first)
  const installed = packAndInstall(work);
  ({ project, files } = installed);
  Object.assign(figures, installed.figures);
}, 400_000);

afterAll(() => {
  server?.close();
  void browser?.close();
  console.info(`[package] ${JSON.stringify(figures)}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('holds compiled JS, .d.ts, README and LICENSE, and no sources, tests, benchmarks or images', () => {
    expect(files).toContain('dist/entries/index.js');
    expect(files).toContain('dist/entries/index.d.ts');
    expect(files).toContain('dist/entries/node.d.ts');
    expect(files).toContain('LICENSE');
    expect(files).toContain('bin/elim.js');
    const bad = files.filter((f) => /\.test[.-]|\.ts$(?<!\.d\.ts)|\.map$|\.png$|^bench\/|^dist\/bench\/|^dist\/examples\/|^experiments\//.test(f));
    expect(bad).toEqual([]);
    // test support (vitest-importing helpers) stays out of the package
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.length).toBeGreaterThan(10);
    const importsVitest = js.filter((f) =>
      /\bfrom\s*['"]vitest['"]|import\(\s*['"]vitest['"]\s*\)/.test(readFileSync(path.join(project, 'node_modules/elim-ts', f), 'utf8')),
    );
    expect(importsVitest).toEqual([]);
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
    run(
      'npx',
      [
        '--no-install',
        'elim',
        'train',
        '--steps',
        '2',
        '--backend',
        'cpu',
        '--out',
        out,
        '--no-plots',
        '--synth-identities',
        '12',
        '--synth-held-out',
        '4',
        '--synth-frames',
        '8',
        '--identities-per-batch',
        '4',
        '--images-per-identity',
        '4',
        '--validate-every',
        '0',
      ],
      project,
    );
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
    // the Sinkhorn plan's first row (4 columns) meets its marginal (unit weights by default)
    expect(nodeResult.sinkhorn.planHead.slice(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }, 120_000);

  it('type-checks a consumer strictly (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck false)', () => {
    const strict = {
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
    };
    // browser files: DOM, no Node types at all (the root entry's declarations must not need them)
    writeFileSync(
      path.join(project, 'tsconfig.browser.json'),
      JSON.stringify({ compilerOptions: { ...strict, lib: ['ES2022', 'DOM'], types: [] }, files: ['program.ts', 'browser-main.ts'] }),
    );
    writeFileSync(
      path.join(project, 'tsconfig.node.json'),
      JSON.stringify({
        compilerOptions: { ...strict, lib: ['ES2022'], types: ['node'], typeRoots: [path.join(repo, 'node_modules/@types')] },
        files: ['program.ts', 'node-main.ts'],
      }),
    );
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

describe.skipIf(!haveChromium)(`the same program in headless Chromium${haveChromium ? '' : ` (skipped: no ${CHROMIUM})`}`, () => {
  let origin = '';
  const www = () => path.join(project, 'www');

  beforeAll(async () => {
    // the GPU backend is one install away: gpu.js (the repo's copy stands in for \`npm install gpu.js\`)
    execFileSync('ln', ['-sfn', path.join(repo, 'node_modules/gpu.js'), path.join(project, 'node_modules/gpu.js')]);
    const bundle = await bundleForBrowser(project, www());
    Object.assign(figures, bundle.figures);
    // no Node built-in in the bundle's import graph (esbuild would also refuse to resolve one for platform browser)
    expect(bundle.imported.filter((p) => p.startsWith('node:') || /^(os|fs|path|worker_threads|v8|url)$/.test(p))).toEqual([]);
    writeFileSync(path.join(www(), 'index.html'), '<!doctype html><script type="module" src="browser-main.js"></script>');
    copyFileSync(checkpoint, path.join(www(), 'checkpoint.safetensors'));
    ({ server, origin } = await serve(www()));
    browser = await launchChromium(['--use-angle=swiftshader']);
  }, 120_000);

  const open = async (url: string): Promise<{ result: ProgramResult; crossOriginIsolated: boolean; progress: number[]; logs: string[] }> => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(origin + url);
      await page.waitForFunction(() => (globalThis as unknown as { __elim?: unknown }).__elim !== undefined, null, { timeout: 180_000 });
      const r = (await page.evaluate(() => (globalThis as unknown as { __elim: unknown }).__elim)) as {
        ok: boolean;
        error?: string;
        result: ProgramResult;
        crossOriginIsolated: boolean;
        progress: number[];
        logs: string[];
      };
      expect(r.error ?? '', errors.join('; ')).toBe('');
      expect(r.ok).toBe(true);
      return r;
    } finally {
      await page.close();
    }
  };

  const agrees = (name: string, r: ProgramResult, tol: { rel: number; abs: number }) => {
    const w = worst(r, nodeResult, tol);
    figures[`${name}MaxAbsDiff`] = w.maxAbs;
    figures[`${name}WorstField`] = w.at;
    figures[`${name}WorstRatio`] = Number(w.ratio.toFixed(3));
    figures[`${name}Al64MaxAbsDiff`] = Math.max(...r.al64.predictions.map((v, i) => Math.abs(v - nodeResult.al64.predictions[i]!)));
    expect(w.ratio, `${name}: worst at ${w.at}`).toBeLessThanOrEqual(1);
    expect(r.asyncReadEqual).toBe(true);
    expect(r.liveHandles).toBe(0);
    expect(r.al64.step).toBe(nodeResult.al64.step);
    expect(r.elim.outcome).toBe(nodeResult.elim.outcome);
  };

  it('CPU backend on one thread (a page that is not cross-origin isolated) equals Node', async () => {
    const r = await open('/plain/index.html?backend=cpu');
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.result.kernelClass).toMatch(/^cpu-ts\(1 thread;.*wasm-simd128.*\(1 thread/);
    expect(r.progress.at(-1)).toBe(statSync(checkpoint).size); // the fetch reported its progress to the end
    agrees('cpuOneThread', r.result, TOL.cpu);
  }, 200_000);

  it('CPU backend on Web Workers (COOP/COEP: cross-origin isolated) equals Node', async () => {
    const r = await open('/iso/index.html?backend=cpu');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.result.kernelClass).toMatch(/^cpu-ts\(2 threads;.*wasm-simd128.*\(2 threads\)/);
    agrees('cpuWorkers', r.result, TOL.cpu);
  }, 200_000);

  it("'auto' picks GPU.js on WebGL2 and equals Node within float32 GPU tolerance", async () => {
    const r = await open('/plain/index.html?backend=auto');
    expect(r.result.backend).toBe('gpujs');
    expect(r.result.kernelClass).toBe('WebGL2Kernel');
    agrees('webgl2', r.result, TOL.webgl2);
  }, 300_000);

  it('a Vite default build of the same program runs on Web Workers', async () => {
    const app = path.join(project, 'vite-app');
    mkdirSync(app, { recursive: true });
    for (const f of ['program.ts', 'browser-main.ts']) copyFileSync(path.join(project, f), path.join(app, f));
    writeFileSync(path.join(app, 'index.html'), '<!doctype html><script type="module" src="./browser-main.ts"></script>');
    run('node', [path.join(repo, 'node_modules/vite/bin/vite.js'), 'build', '--base', './', '--logLevel', 'error', '--outDir', path.join(www(), 'vite')], app);
    copyFileSync(checkpoint, path.join(www(), 'vite', 'checkpoint.safetensors'));
    const r = await open('/iso/vite/index.html?backend=cpu');
    expect(r.result.kernelClass).toMatch(/\(2 threads\)\)$/);
    agrees('viteWorkers', r.result, TOL.cpu);
  }, 200_000);
});
