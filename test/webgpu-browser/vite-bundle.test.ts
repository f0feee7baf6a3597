/**
 * The WebGPU mode as a Vite user gets it: test/webgpu-browser/vite-app (a page whose module
 * worker imports `elim-ts` and selects `gpujs`) is built by Vite 8 against the package entry
 * (dist/entries/index.js, what `import 'elim-ts'` resolves to once installed), served cross-origin
 * isolated, and run in headless Chromium (WebGPU on SwiftShader).
 *
 * What it guards: the library starts its device worker as
 * `new Worker(new URL('./device-worker.js', import.meta.url), { type: 'module' })`, the form
 * bundlers turn into a bundled worker. Any other form makes Vite inline the raw file as an asset,
 * whose `import 'gpu.js'` no browser resolves (measured with `new Worker(url ?? new URL(...))`:
 * no device-worker chunk, 'the WebGPU device worker failed to start', and gpujs fell back to GL).
 *
 * Needs dist/ (npm test builds it) and Debian's chromium; in CI (CI=true) a missing chromium is
 * a failure, elsewhere the file skips and says why. ~15 s here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, serveIsolated } from '../../bench/webgpu-browser/harness.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const app = path.join(repo, 'test/webgpu-browser/vite-app');
const inCI = process.env.CI === 'true';
if (inCI && !existsSync(CHROMIUM)) throw new Error(`CI: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);
if (!existsSync(CHROMIUM)) console.warn(`[vite bundle] SKIPPED (not CI): ${CHROMIUM} is missing`);

const work = mkdtempSync(path.join(tmpdir(), 'elim-vite-app-'));
let browser: Browser | undefined;
let server: Server | undefined;
let result: { kernelClass?: string; values?: number[]; logs?: string[]; error?: string };
let files: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  const entry = path.join(repo, 'dist/entries/index.js');
  if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  const { build } = await import('vite');
  await build({
    root: app,
    base: './',
    configFile: false,
    logLevel: 'error',
    resolve: { alias: { 'elim-ts': entry } },
    // Vite's defaults otherwise (its default worker format, iife, works: measured with this test)
    build: { outDir: work, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000 },
  });
  files = readdirSync(path.join(work, 'assets'));
  let origin: string;
  ({ server, origin } = await serveIsolated(work));
  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => (globalThis as unknown as { __elim?: unknown }).__elim !== undefined, null, { timeout: 120_000 });
  result = (await page.evaluate(() => (globalThis as unknown as { __elim: unknown }).__elim)) as typeof result;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!existsSync(CHROMIUM))('elim-ts bundled by Vite: the WebGPU mode in a worker', () => {
  it('Vite emits the device worker as a bundled chunk (no bare gpu.js import, no inlined raw worker)', () => {
    const worker = files.find((f) => /^device-worker-.*\.js$/.test(f));
    expect(worker, files.join(', ')).toBeDefined();
    for (const f of files.filter((g) => g.endsWith('.js'))) {
      const js = readFileSync(path.join(work, 'assets', f), 'utf8');
      expect(js, f).not.toMatch(/from\s*["']gpu\.js["']/);
      expect(js, f).not.toMatch(/new Worker\(new URL\(["'`]data:/);
    }
  });

  it('selecting gpujs in the bundled engine worker gets WebGPUKernel, and a matmul reads back right', () => {
    expect(result.error, (result.logs ?? []).join('\n')).toBeUndefined();
    expect(result.kernelClass, (result.logs ?? []).join('\n')).toBe('WebGPUKernel');
    const a = Array.from({ length: 8 }, (_, i) => i + 1);
    const c = Array.from({ length: 16 }, (_, i) => i - 4);
    const want = [0, 1].flatMap((r) => [0, 1, 2, 3].map((col) => [0, 1, 2, 3].reduce((s, k) => s + a[r * 4 + k] * c[k * 4 + col], 0)));
    expect(result.values).toEqual(want);
  });
});
