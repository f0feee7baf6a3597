/**
 * The gpujs backend's WebGPU mode in a page: headless Chromium with WebGPU on SwiftShader's
 * Vulkan, the engine in a dedicated worker and the device in a second one (link-browser.ts).
 * The page (page/) selects `gpujs` as a program does and must get WebGPUKernel, while the same
 * request on the page's main thread gets WebGL2 and says why; it runs the shared backend
 * conformance suite on WebGPU (kernels/conformance/backend.test-helpers.ts, 1e-4 scaled as in Node), and the
 * gradient checks, an ELIM training step, evaluation and prediction from a checkpoint written by
 * `elim train`, on WebGPU and on the CPU backend in the same worker, compared here.
 *
 * Tolerances (float32 on both sides, different summation orders and transcendental functions):
 * AL64 output and gradients 2e-3 scaled and toy-step loss 1e-4 / gradients 1e-3 absolute, as the
 * Node WebGPU gradient test; checkpoint-round losses 1e-4 relative, predictions and VA metrics
 * 1e-4 absolute (measured here: losses ~1e-7 relative, predictions ~1e-6).
 *
 * Needs dist/ (npm test builds it) and Debian's chromium; in CI (CI=true) a missing chromium or
 * adapter is a failure, elsewhere the file skips and says why. Takes ~40 s here (compiles).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worstError } from '../../kernels/conformance/compare.test-helpers.js';
import { bundle, CHROMIUM, launchChromium, serveIsolated } from '../../bench/webgpu-browser/harness.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const here = path.join(repo, 'test/webgpu-browser');
const inCI = process.env.CI === 'true';
if (inCI && !existsSync(CHROMIUM)) throw new Error(`CI: ${CHROMIUM} is missing (.ci/run installs Debian's chromium)`);
if (!existsSync(CHROMIUM)) console.warn(`[webgpu browser] SKIPPED (not CI): ${CHROMIUM} is missing`);

type Check = { loss: number; main?: number; grads: unknown; y?: number[] };
interface Round {
  step: { loss: number; main: number; outcome: string; gradSumSq: number };
  before: number[];
  after: number[];
  metrics: Record<'valence' | 'arousal', Record<'rmse' | 'sagr' | 'pcc' | 'ccc', number>>;
}
type PerBackend = {
  al64: Check & { y: number[]; grads: Record<string, number[]> };
  elim: Check & { grads: number[][] };
  baseline: Check & { grads: number[][] };
  checkpoint: Round;
};
interface PageResult {
  ok: boolean;
  error?: string;
  info: { kernelClass: string; renderer: string | null };
  logs: string[];
  conformance: Array<{ name: string; ok: boolean; error?: string }>;
  results: { gpu: PerBackend; cpu: PerBackend };
  ms: Record<string, number>;
  stats: { syncReads: number; compiles: number };
  crossOriginIsolated: boolean;
}

const work = mkdtempSync(path.join(tmpdir(), 'elim-webgpu-page-'));
let browser: Browser | undefined;
let server: Server | undefined;
let r: PageResult;
let mainThread: { kernelClass?: string; logs?: string[]; error?: string };

beforeAll(async () => {
  const bin = path.join(repo, 'bin/elim.js');
  if (!existsSync(path.join(repo, 'dist/pipelines/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
  // prettier-ignore
  execFileSync(process.execPath, [bin, 'train', '--backend', 'cpu', '--input-size', '16', '--width', '0.25', '--hidden', '16', '--latent', '8', '--synth-identities', '8',
    '--synth-held-out', '2', '--synth-frames', '8', '--identities-per-batch', '3', '--images-per-identity', '4', '--no-plots', '--steps', '2', '--validate-every', '0',
    '--out', path.join(work, 'run')], { cwd: work, env: { ...process.env, ELIM_THREADS: '1' }, stdio: 'pipe', timeout: 120_000 });
  const www = path.join(work, 'www');
  await bundle(
    {
      main: path.join(here, 'page/main.ts'),
      'engine-worker': path.join(here, 'page/engine-worker.ts'),
      'device-worker': path.join(repo, 'kernels/gpujs/webgpu/device-worker.ts'),
    },
    www,
    { vitest: path.join(here, 'page/vitest-shim.ts') },
  );
  writeFileSync(path.join(www, 'index.html'), '<!doctype html><script type="module" src="main.js"></script>');
  copyFileSync(path.join(work, 'run/checkpoint.safetensors'), path.join(www, 'checkpoint.safetensors'));
  let origin: string;
  ({ server, origin } = await serveIsolated(www));
  browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${origin}/index.html?main=1`);
  await page.waitForFunction(() => (globalThis as unknown as { __elim?: unknown }).__elim !== undefined, null, { timeout: 240_000 });
  const got = await page.evaluate(() => {
    const w = globalThis as unknown as { __elim: PageResult; __main: typeof mainThread };
    return { __elim: w.__elim, __main: w.__main };
  });
  [r, mainThread] = [got.__elim, got.__main];
  if (!r.ok) throw new Error(`the page failed: ${r.error} ${errors.join('; ')}`);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label: string) => {
  const { err, at } = worstError(got, want);
  expect(err, `${label}: worst scaled error ${err} at ${at} (got ${got[at]}, want ${want[at]})`).toBeLessThanOrEqual(tol);
};
const absClose = (got: number[], want: number[], tol: number, label: string) => {
  expect(got.length, label).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `${label}[${i}]: ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol));
};

describe.skipIf(!existsSync(CHROMIUM))('gpujs WebGPU mode in headless Chromium (engine worker + device worker)', () => {
  it('selecting gpujs in a worker of an isolated page gets WebGPUKernel and says so; on the main thread it gets WebGL2 and says why', () => {
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.info.kernelClass).toBe('WebGPUKernel');
    expect(r.logs.join('\n')).toMatch(/mode 'webgpu': kernel class WebGPUKernel on \S+/);
    expect(mainThread.kernelClass, JSON.stringify(mainThread)).toBe('WebGL2Kernel');
    expect(mainThread.logs?.join('\n')).toMatch(/no WebGPU .*main thread cannot block/);
  });

  it('the shared backend conformance suite passes on WebGPU in the page (1e-4 scaled)', () => {
    const failed = r.conformance.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error}`);
    expect(failed).toEqual([]);
    const names = r.conformance.map((c) => c.name).join('\n');
    for (const op of ['matmul', 'conv2dBackwardFilter', 'softmax', 'sinkhornBatched', 'memory']) expect(names).toContain(op);
    expect(r.conformance.length).toBeGreaterThanOrEqual(50);
  });

  it('AL64 encoder: output, loss and every parameter gradient agree with the CPU backend (2e-3 scaled)', () => {
    const [g, c] = [r.results.gpu.al64, r.results.cpu.al64];
    close(g.y, c.y, 2e-3, 'AL64 output');
    close([g.loss], [c.loss], 2e-3, 'AL64 loss');
    expect(Object.keys(g.grads)).toEqual(Object.keys(c.grads));
    for (const k of Object.keys(c.grads)) close(g.grads[k], c.grads[k], 2e-3, `AL64 d/d ${k}`);
  });

  for (const name of ['elim', 'baseline'] as const)
    it(`${name}Step on the toy problem: loss (1e-4) and gradients (1e-3) agree with the CPU backend`, () => {
      const [g, c] = [r.results.gpu[name], r.results.cpu[name]];
      expect(Math.abs(g.loss - c.loss)).toBeLessThanOrEqual(1e-4);
      if (name === 'elim') expect(g.main).toBeGreaterThan(0);
      expect(g.grads.length).toBe(c.grads.length);
      g.grads.forEach((gr, i) => absClose(gr, c.grads[i], 1e-3, `${name} grad ${i}`));
    });

  it('from a checkpoint: predictions, an ELIM training step and the evaluation after it equal the CPU backend (1e-4)', () => {
    const [g, c] = [r.results.gpu.checkpoint, r.results.cpu.checkpoint];
    absClose(g.before, c.before, 1e-4, 'predictions from the checkpoint');
    expect(g.step.outcome).toBe(c.step.outcome);
    expect(c.step.main).toBeGreaterThan(0); // the ELIM term is really in the step
    for (const k of ['loss', 'main', 'gradSumSq'] as const) expect(Math.abs(g.step[k] - c.step[k]) / Math.abs(c.step[k]), k).toBeLessThanOrEqual(1e-4);
    absClose(g.after, c.after, 1e-4, 'predictions after the step');
    expect(g.after).not.toEqual(g.before); // the step changed the model
    for (const axis of ['valence', 'arousal'] as const)
      for (const m of ['rmse', 'pcc', 'ccc'] as const) expect(Math.abs(g.metrics[axis][m] - c.metrics[axis][m]), `${axis} ${m}`).toBeLessThanOrEqual(1e-4);
    console.log(`[webgpu browser] ${r.info.renderer}: step loss webgpu ${g.step.loss} cpu ${c.step.loss}; ${JSON.stringify(r.stats)}`);
  });
});
