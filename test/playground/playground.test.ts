/**
 * The playground, built and driven in headless Chromium: Vite builds playground/ into a
 * temporary folder, the package test's loopback server (test/package/serve.ts) serves it with
 * COOP/COEP (/iso/) and without (/plain/), and Debian's chromium through playwright-core:
 * - trains the baseline and ELIM side by side on the CPU backend (Web Workers, cross-origin
 *   isolated) and on GPU.js WebGL2 (SwiftShader, a page without the headers);
 * - checks every chart got finite values, and that the page's final held-out CCC equals what
 *   `elim compare` gives in Node for the same options and seed (tolerances below);
 * - opens the transport view (plan marginals equal the relevance weights);
 * - loads the checkpoint `elim compare` wrote over a URL and predicts an image file;
 * - saves screenshots under runs/playground-test/.
 * Figures are printed as one [playground] line: the built JS gzipped per chunk; per page run
 * imagesPerSecond (iteration time only, GPU.js kernel compiles included), steadyImagesPerSecond
 * (iterations 3 on) and withValidationImagesPerSecond (iterations + held-out validations: what
 * Node's trainer counts), beside node-<kind>.imagesPerSecond from the same options' metrics.json.
 *
 * In CI (CI=true) a missing chromium is a failure; elsewhere the test is skipped with the reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { Jimp } from 'jimp';
import { createCpuBackendAsync, loadTrainedModel, predictImages, useBackend } from '../../entries/node.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../pipelines/data/images/sample-transform.js';
import { serve } from '../package/serve.js';
import { haveChromium, launchChromium } from '../chromium.js';
import type { Metrics, Probe } from './probe.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A small run both methods finish in seconds on two cores (the page's and the CLI's option
 * names are the same); the GPU.js run is shorter still (SwiftShader WebGL2 trains at ~10 img/s).
 */
const OPTIONS: Record<string, string> = {
  'synth-identities': '16',
  'synth-held-out': '4',
  'synth-frames': '16',
  'identities-per-batch': '4',
  'images-per-identity': '4',
  'input-size': '16',
  seed: '3',
};
type Kind = 'cpu' | 'cpu1' | 'gpujs';
const STEPS: Record<Kind, Record<string, string>> = {
  cpu: { steps: '30', 'validate-every': '10' },
  cpu1: { steps: '30', 'validate-every': '10' },
  gpujs: { steps: '12', 'validate-every': '6' },
};
/** Node's reference runs: 2 threads (cpu, gpujs), 1 thread (cpu1: the thread split changes some sums, e.g. split-K). */
const NODE_THREADS: Record<Kind, string> = { cpu: '2', cpu1: '1', gpujs: '2' };
/**
 * Page vs Node, final held-out CCC per axis. CPU: the same TS/wasm kernels on both sides with
 * the same thread count (the split fixes some summation orders), so equal up to float32
 * rounding (measured: 0). GPU.js WebGL2 vs Node's CPU: other float32 kernels (GPU summation
 * order, SwiftShader's exp/log) drifting through the Adam steps (measured: ~1e-3).
 */
const TOL: Record<Kind, number> = { cpu: 1e-4, cpu1: 1e-4, gpujs: 0.01 };

const figures: Record<string, unknown> = {};
let work = '';
let site = '';
let server: Server | undefined;
let origin = '';
type NodeMetrics = Record<'baseline' | 'elim', { heldOut: { overall: Metrics }; timings: { imagesPerSecond: number; trainSeconds: number } }>;
const node = {} as Record<Kind, NodeMetrics>;
let checkpoint = '';
let browser: import('playwright-core').Browser | undefined;
const shots = path.join(repo, 'runs/playground-test');

/** A face-like test picture at the model's input size: its PNG and its ImageNet-normalised [3, s, s] pixels. */
const testImage = async (s: number): Promise<{ png: Buffer; x: Float32Array }> => {
  const img = new Jimp({ width: s, height: s, color: 0xddddbbff });
  const x = new Float32Array(3 * s * s);
  for (let r = 0; r < s; r++)
    for (let c = 0; c < s; c++) {
      const inside = (r - s / 2) ** 2 + (c - s / 2) ** 2 < (s * 0.4) ** 2;
      const rgb = inside ? [200, 150 - 4 * r, 100 + 3 * c] : [221, 221, 187];
      const o = (r * s + c) * 4;
      for (let ch = 0; ch < 3; ch++) {
        img.bitmap.data[o + ch] = rgb[ch]!;
        x[ch * s * s + r * s + c] = (rgb[ch]! / 255 - IMAGENET_MEAN[ch]!) / IMAGENET_STD[ch]!;
      }
      img.bitmap.data[o + 3] = 255;
    }
  return { png: await img.getBuffer('image/png'), x };
};

const query = (kind: Kind, extra: Record<string, string>) => new URLSearchParams({ ...OPTIONS, ...STEPS[kind], ...extra }).toString();

beforeAll(async () => {
  if (!haveChromium) return;
  work = mkdtempSync(path.join(tmpdir(), 'elim-playground-'));
  site = path.join(work, 'site');
  execFileSync('npx', ['vite', 'build', '--config', 'playground/vite.config.ts', '--outDir', site, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: repo,
    stdio: 'pipe',
    timeout: 180_000,
  });
  const assets = readdirSync(path.join(site, 'assets')).filter((f) => f.endsWith('.js'));
  const gz = (f: string) => gzipSync(readFileSync(path.join(site, 'assets', f))).length;
  const entry = /<script[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(readFileSync(path.join(site, 'index.html'), 'utf8'))?.[1];
  figures.jsGzipBytes = Object.fromEntries(assets.map((f) => [f.replace(/-[\w-]{8}\.js$/, ''), gz(f)]));
  figures.jsGzipTotal = assets.reduce((a, f) => a + gz(f), 0);
  figures.entryGzip = entry ? gz(entry) : null;
  // the same pairs in Node: `elim compare` for one seed (dist/ is built by scripts/test.sh)
  if (!existsSync(path.join(repo, 'dist/entries/index.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo });
  for (const kind of ['cpu', 'cpu1', 'gpujs'] as const) {
    const out = path.join(work, `compare-${kind}`);
    const args = Object.entries({ ...OPTIONS, ...STEPS[kind] })
      .filter(([k]) => k !== 'seed')
      .flatMap(([k, v]) => [`--${k}`, v]);
    execFileSync('node', ['bin/elim.js', 'compare', '--seeds', `${OPTIONS.seed}..${OPTIONS.seed}`, '--backend', 'cpu', '--no-plots', '--out', out, ...args], {
      cwd: repo,
      stdio: 'pipe',
      timeout: 300_000,
      env: { ...process.env, ELIM_BACKEND: 'cpu', ELIM_THREADS: NODE_THREADS[kind] },
    });
    const read = (m: string) => JSON.parse(readFileSync(path.join(out, `seed-${OPTIONS.seed}`, m, 'metrics.json'), 'utf8'));
    node[kind] = { baseline: read('baseline'), elim: read('elim') };
  }
  checkpoint = path.join(work, 'compare-cpu', `seed-${OPTIONS.seed}`, 'elim', 'checkpoint.safetensors');
  copyFileSync(checkpoint, path.join(site, 'checkpoint.safetensors'));
  ({ server, origin } = await serve(site));
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (Object.keys(figures).length) console.info(`[playground] ${JSON.stringify(figures)}`);
  if (work) rmSync(work, { recursive: true, force: true });
});

const allFinite = (p: Probe, names: string[]) => {
  for (const n of names) {
    const series = p.charts[n];
    expect(series, n).toBeDefined();
    const pts = series!.flatMap((s) => s.points);
    expect(pts.length, n).toBeGreaterThan(0);
    expect(
      pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
      n,
    ).toBe(true);
  }
};

const train = async (page: import('playwright-core').Page, url: string): Promise<Probe> => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => ['done', 'error', 'stopped'].includes((globalThis as unknown as { __playground: Probe }).__playground.phase), null, {
    timeout: 240_000,
    polling: 500,
  });
  const p = (await page.evaluate(() => (globalThis as unknown as { __playground: Probe }).__playground)) as Probe;
  expect(errors).toEqual([]);
  expect(p.error).toBeUndefined();
  expect(p.phase).toBe('done');
  return p;
};

const checkRun = (p: Probe, kind: Kind, label: string) => {
  allFinite(p, ['loss-baseline', 'loss-elim', 'ccc-valence', 'ccc-arousal', 'scatter-baseline', 'scatter-elim', 'tsne-baseline', 'tsne-elim']);
  const steps = Number(STEPS[kind].steps);
  const every = Number(STEPS[kind]['validate-every']);
  for (const m of ['baseline', 'elim'] as const) {
    const r = p.runs[m]!;
    expect(r.step).toBe(steps);
    expect(r.validations.map((v) => v.step)).toEqual(Array.from({ length: steps / every }, (_, i) => (i + 1) * every));
    const last = r.validations.at(-1)!;
    const want = node[kind][m].heldOut.overall;
    const diff = Math.max(...(['valence', 'arousal'] as const).map((a) => Math.abs(last.heldOut[a].ccc - want[a].ccc)));
    figures[`${label}.${m}.maxCccDiff`] = diff;
    figures[`${label}.${m}.imagesPerSecond`] = r.imagesPerSecond;
    figures[`${label}.${m}.steadyImagesPerSecond`] = r.steadyImagesPerSecond;
    figures[`${label}.${m}.withValidationImagesPerSecond`] = r.withValidationImagesPerSecond;
    figures[`node-${kind}.${m}.imagesPerSecond`] = node[kind][m].timings.imagesPerSecond;
    expect(diff, `${label} ${m}: page ${JSON.stringify(last.heldOut)} vs node ${JSON.stringify(want)}`).toBeLessThanOrEqual(TOL[kind]);
  }
};

describe.skipIf(!haveChromium)('the playground in headless Chromium', () => {
  it('trains both methods on the CPU backend (Web Workers) and matches elim compare in Node', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1100 } });
    const p = await train(page, `${origin}/iso/index.html?${query('cpu', { backend: 'cpu', threads: '2', autostart: '1' })}`);
    expect(p.backend).toMatchObject({ name: 'cpu', crossOriginIsolated: true });
    figures.cpuKernelClass = p.backend!.kernelClass;
    checkRun(p, 'cpu', 'page-cpu-workers');
    await page.screenshot({ path: path.join(shots, 'train-cpu.png'), fullPage: true });

    // the benchmark: a contact sheet and the bands
    await page.click('nav [data-tab="benchmark"]');
    const bench = (await page.evaluate(() => (globalThis as unknown as { __playground: Probe }).__playground.benchmark)) as Probe['benchmark'];
    expect(bench).toMatchObject({ train: 12, heldOut: 4 });
    expect(await page.locator('#sheet canvas').count()).toBe(16 * 4 + 2);
    await page.screenshot({ path: path.join(shots, 'benchmark.png'), fullPage: true });

    // transport between two identities of the first batch, on the trained ELIM encoder's latents
    await page.click('nav [data-tab="transport"]');
    await page.waitForFunction(() => (globalThis as unknown as { __playground: Probe }).__playground.transport !== undefined);
    const t = (await page.evaluate(() => (globalThis as unknown as { __playground: Probe }).__playground.transport))!;
    expect(t.features).toBe('latents');
    expect([t.n, t.m]).toEqual([4, 4]);
    expect(t.plan.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    // after the final v update the columns carry b exactly; the rows approach a
    const colSums = Array.from({ length: t.m }, (_, j) => t.plan.reduce((acc, v, k) => acc + (k % t.m === j ? v : 0), 0));
    colSums.forEach((c, j) => expect(c).toBeCloseTo(t.b[j]!, 4));
    expect(t.shift.every(Number.isFinite)).toBe(true);
    await page.screenshot({ path: path.join(shots, 'transport.png'), fullPage: true });

    // predict: the checkpoint over a URL, an image file
    await page.click('nav [data-tab="predict"]');
    await page.fill('#ckpt-url', 'checkpoint.safetensors');
    await page.click('#ckpt-load');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as { __playground: Probe }).__playground.predict?.step !== undefined ||
        (globalThis as unknown as { __playground: Probe }).__playground.predict?.error !== undefined,
    );
    const { png, x } = await testImage(16);
    await page.setInputFiles('#images', [{ name: 'face.png', mimeType: 'image/png', buffer: png }]);
    await page.waitForFunction(() => ((globalThis as unknown as { __playground: Probe }).__playground.predict?.predictions?.length ?? 0) > 0);
    const pr = (await page.evaluate(() => (globalThis as unknown as { __playground: Probe }).__playground.predict))!;
    expect(pr.error).toBeUndefined();
    expect(pr.step).toBe(Number(STEPS.cpu.steps));
    // the same checkpoint and pixels in Node (an image at the input size: the page's canvas resize is a copy)
    const nodeBackend = await createCpuBackendAsync({ threads: 1 });
    useBackend(nodeBackend);
    const model = await loadTrainedModel(checkpoint, nodeBackend);
    if (E.isLeft(model)) throw new Error(model.left);
    const want = predictImages(model.right, x, 1, nodeBackend).predictions;
    const got = pr.predictions![0]!;
    figures.predictDiff = Math.max(Math.abs(got.valence - want[0]!), Math.abs(got.arousal - want[1]!));
    expect(figures.predictDiff).toBeLessThan(1e-4);
    await page.screenshot({ path: path.join(shots, 'predict.png'), fullPage: true });
    await page.close();
  }, 300_000);

  it('falls back to one thread where the page is not cross-origin isolated, with the same results', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1100 } });
    const p = await train(page, `${origin}/plain/index.html?${query('cpu1', { backend: 'cpu', autostart: '1' })}`);
    expect(p.backend).toMatchObject({ name: 'cpu', crossOriginIsolated: false });
    figures.cpuOneThreadKernelClass = p.backend!.kernelClass;
    expect(p.backend!.kernelClass).toMatch(/1 thread\b/);
    checkRun(p, 'cpu1', 'page-cpu-one-thread');
    await page.close();
  }, 300_000);

  it('trains both methods on GPU.js WebGL2 in a page without COOP/COEP', async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 1100 } });
    const p = await train(page, `${origin}/plain/index.html?${query('gpujs', { backend: 'gpujs', autostart: '1' })}`);
    expect(p.backend!.name).toBe('gpujs');
    expect(p.backend!.crossOriginIsolated).toBe(false);
    expect(p.backend!.kernelClass).toMatch(/WebGL2/);
    figures.gpujsKernelClass = p.backend!.kernelClass;
    checkRun(p, 'gpujs', 'page-gpujs');
    await page.screenshot({ path: path.join(shots, 'train-gpujs.png'), fullPage: true });
    await page.close();
  }, 300_000);
});
