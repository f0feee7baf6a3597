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
import { chromium, type Browser } from 'playwright-core';

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
const haveChromium = existsSync(CHROMIUM);
if (inCI && !haveChromium) throw new Error(`CI: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);

/**
 * Node/browser agreement. Same CPU kernels (WebAssembly SIMD; Chromium has relaxed SIMD on, so
 * fused multiply-adds round once where Node 20 rounds twice): float32 last bits. GPU.js on
 * WebGL2 (SwiftShader) computes in float32 with its own summation order and transcendental
 * functions: a few float32 ulps per op, accumulated over AL64's layers.
 */
const TOL = {
  cpu: { rel: 1e-5, abs: 1e-6 },
  webgl2: { rel: 1e-4, abs: 1e-5 },
} as const;

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
  execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, ELIM_BACKEND: 'cpu', npm_config_loglevel: 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

const figures: Record<string, number | string> = {};
let work = '';
let project = '';
let checkpoint = '';
let nodeResult: ProgramResult;
let server: Server | undefined;
let browser: Browser | undefined;

beforeAll(() => {
  if (!existsSync(path.join(repo, 'dist/entries/index.js'))) run('npx', ['tsc', '-p', 'tsconfig.build.json'], repo);
  work = mkdtempSync(path.join(tmpdir(), 'elim-pkg-'));
  // pack what `npm pack` would (the build already ran: scripts/test.sh builds first)
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo)) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
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
  server?.close();
  void browser?.close();
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

/** max over fields of |a - b| / (rel * |b| + abs): <= 1 means within tolerance. */
const worst = (a: ProgramResult, b: ProgramResult, tol: { rel: number; abs: number }): { ratio: number; at: string; maxAbs: number } => {
  const pairs: Array<[string, number, number]> = [
    ['loss', a.loss, b.loss],
    ...a.grad.map((v, i): [string, number, number] => [`grad[${i}]`, v, b.grad[i]!]),
    ['bigMatmulSum', a.bigMatmulSum, b.bigMatmulSum],
    ['sinkhorn.cost', a.sinkhorn.cost, b.sinkhorn.cost],
    ...a.sinkhorn.planHead.map((v, i): [string, number, number] => [`sinkhorn.plan[${i}]`, v, b.sinkhorn.planHead[i]!]),
    ['elim.loss', a.elim.loss, b.elim.loss],
    ['elim.main', a.elim.main, b.elim.main],
    ['elim.va', a.elim.va, b.elim.va],
    ['elim.gradSumSq', a.elim.gradSumSq, b.elim.gradSumSq],
    ...a.al64.predictions.map((v, i): [string, number, number] => [`al64[${i}]`, v, b.al64.predictions[i]!]),
  ];
  let out = { ratio: 0, at: '', maxAbs: 0 };
  for (const [at, x, y] of pairs) {
    const d = Math.abs(x - y);
    const r = d / (tol.rel * Math.abs(y) + tol.abs);
    out = { ratio: Math.max(out.ratio, r), at: r > out.ratio ? at : out.at, maxAbs: Math.max(out.maxAbs, d) };
  }
  return out;
};

describe.skipIf(!haveChromium)(`the same program in headless Chromium${haveChromium ? '' : ` (skipped: no ${CHROMIUM})`}`, () => {
  let origin = '';
  const www = () => path.join(project, 'www');

  beforeAll(async () => {
    // the GPU backend is one install away: gpu.js (the repo's copy stands in for \`npm install gpu.js\`)
    execFileSync('ln', ['-sfn', path.join(repo, 'node_modules/gpu.js'), path.join(project, 'node_modules/gpu.js')]);
    const esbuild = (await import('esbuild')) as typeof import('esbuild');
    const r = await esbuild.build({
      entryPoints: [path.join(project, 'browser-main.ts')],
      absWorkingDir: project,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      splitting: true,
      minify: true,
      target: 'es2022',
      outdir: www(),
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = Object.entries(r.metafile.outputs).map(([f, o]) => ({ f, bytes: o.bytes, gz: gzipSync(readFileSync(path.join(project, f))).length }));
    const gpu = outputs.filter((o) => /gpujs-backend/.test(o.f));
    const rest = outputs.filter((o) => !/gpujs-backend/.test(o.f));
    figures.bundleBytes = rest.reduce((a, o) => a + o.bytes, 0);
    figures.bundleGzipBytes = rest.reduce((a, o) => a + o.gz, 0);
    figures.gpujsChunkBytes = gpu.reduce((a, o) => a + o.bytes, 0);
    figures.gpujsChunkGzipBytes = gpu.reduce((a, o) => a + o.gz, 0);
    // no Node built-in in the bundle's import graph (esbuild would also refuse to resolve one for platform browser)
    const imported = Object.values(r.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    expect(imported.filter((p) => p.startsWith('node:') || /^(os|fs|path|worker_threads|v8|url)$/.test(p))).toEqual([]);
    writeFileSync(path.join(www(), 'index.html'), '<!doctype html><script type="module" src="browser-main.js"></script>');
    copyFileSync(checkpoint, path.join(www(), 'checkpoint.safetensors'));
    ({ server, origin } = await serve(www()));
    // no --disable-gpu: WebGL2 comes from SwiftShader
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
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
