/**
 * bench:webgpu-browser — bench:webgpu's workloads in headless Chromium: the gpujs backend's
 * WebGPU mode in a page (engine in a dedicated worker, device in a second one) beside
 * TensorFlow.js's WebGPU backend (@tensorflow/tfjs-backend-webgpu 4.22) in the same worker of the
 * same page, one after the other: matmul 256/512/1024, conv2d forward and both backward passes
 * (b64 128->128 16x16 3x3), AL64 training step (baseline objective, Adam) and inference at 64 px.
 * Every timed run ends with an awaited read of its result on both engines.
 * Without a GPU, Chromium's WebGPU runs on SwiftShader (software Vulkan): only ratios mean anything.
 *
 * Env: BENCH_QUICK=1 (no matmul 1024, batch 4, 1 rep), BENCH_BATCH, BENCH_CONV_BATCH,
 * BENCH_WEBGPU_KERNELS_ONLY=1 (no AL64 rows), ELIM_CHROMIUM_GPU=1 (a GPU machine: no SwiftShader
 * switches). Writes bench/results/webgpu-browser.json (+ .meta.json).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, launchChromium, serveIsolated, chromiumArgs } from './webgpu-browser/harness.js';
import type { PageRow } from './webgpu-browser/page.js';
import { printTable, type Cell } from './lib/table.js';
import { machineLine } from './lib/timing.js';
import { writeResults, type ResultRow } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const query = new URLSearchParams({
  quick: quick ? '1' : '0',
  batch: process.env.BENCH_BATCH ?? (quick ? '4' : '64'),
  convBatch: process.env.BENCH_CONV_BATCH ?? (quick ? '4' : '64'),
  reps: quick ? '1' : '3',
  al64: process.env.BENCH_WEBGPU_KERNELS_ONLY === '1' ? '0' : '1',
});

interface BenchAnswer {
  error?: string;
  adapter: string;
  readsPerStep?: number;
  rows: PageRow[];
  userAgent: string;
}

const main = async (): Promise<void> => {
  console.log(`bench:webgpu-browser  ${machineLine()}`);
  console.log(`chromium ${chromiumArgs().join(' ')}; ${query.toString()}`);
  const www = mkdtempSync(join(tmpdir(), 'elim-bench-webgpu-'));
  const src = (p: string) => join(root, p);
  await bundle(
    {
      'page-main': src('bench/webgpu-browser/page-main.ts'),
      page: src('bench/webgpu-browser/page.ts'),
      'device-worker': src('kernels/gpujs/webgpu/device-worker.ts'),
    },
    www,
    {},
    { [src('bench/lib/timing.js')]: src('bench/webgpu-browser/timing-page.ts') },
  );
  writeFileSync(join(www, 'index.html'), '<!doctype html><script type="module" src="page-main.js"></script>');
  const { server, origin } = await serveIsolated(www);
  const browser = await launchChromium();
  let answer: BenchAnswer;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => console.log(`  ${m.text()}`));
    page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
    await page.goto(`${origin}/index.html?${query.toString()}`);
    await page.waitForFunction(() => (globalThis as unknown as { __bench?: unknown }).__bench !== undefined, null, { timeout: 0, polling: 1000 });
    answer = (await page.evaluate(() => JSON.stringify((globalThis as unknown as { __bench: unknown }).__bench)).then(JSON.parse)) as BenchAnswer;
  } finally {
    await browser.close();
    server.close();
    rmSync(www, { recursive: true, force: true });
  }
  if (answer.error) throw new Error(answer.error);
  console.log(`${answer.userAgent}\ngpujs-webgpu adapter: ${answer.adapter}; reads per AL64 training step: ${answer.readsPerStep ?? '-'}`);
  const rows: ResultRow[] = [];
  const table: Cell[][] = [];
  const rate = (r: PageRow, ms: number | null) => (ms === null ? null : (r.amount * 1000) / ms);
  for (const r of answer.rows) {
    const [o, t] = [rate(r, r.ours), rate(r, r.tfjs)];
    table.push([`${r.workload}${r.unit === 'img/s' ? ' (img/s)' : ''}`, o, t, o !== null && t !== null ? o / t : null]);
    const metric = r.unit === 'img/s' ? 'images_per_s' : 'gflops';
    if (o !== null) rows.push({ workload: r.workload, engine: 'gpujs-webgpu-browser', metric, value: o, unit: r.unit });
    if (t !== null) rows.push({ workload: r.workload, engine: 'tfjs-webgpu-browser', metric, value: t, unit: r.unit });
    if (r.note) console.log(`${r.workload}: ${r.note}`);
  }
  console.log('');
  printTable(['workload (GFLOP/s unless said)', 'gpujs-webgpu', 'tfjs-webgpu', 'ours / tfjs'], table);
  writeResults(join(root, 'bench', 'results', 'webgpu-browser.json'), {
    benchmark: 'webgpu-browser',
    date: new Date().toISOString(),
    machine: `${machineLine()}; ${answer.userAgent}`,
    notes: [
      `adapter ${answer.adapter}`,
      `page query ${query.toString()}`,
      'both engines in one page worker, one after the other; reads included in every timed run',
    ],
    rows,
  });
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
