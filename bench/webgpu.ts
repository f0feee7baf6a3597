/**
 * bench:webgpu — the gpujs backend's WebGPU mode beside TensorFlow.js's WebGPU backend
 * (@tensorflow/tfjs-backend-webgpu 4.22), both on Dawn (the `webgpu` npm package) in Node, in
 * one process: the workloads of webgpu-workloads.ts (matmul 256/512/1024, conv2d forward and both
 * backward passes, AL64 inference and training step at 64 px); bench:webgpu-browser runs them in
 * headless Chromium.
 *
 * Every timed run ends with a read of its result on both engines (await data() /
 * downloadAsync), so "done" means the same thing for both. Ours also reports its per-op host
 * overhead (a chain of tiny adds, no read between) and the reads a training step makes.
 * Without a GPU, Dawn runs on SwiftShader (software Vulkan): only the ratios mean anything.
 *
 * Env: BENCH_QUICK=1 (small sizes, 1 rep, no matmul 1024), BENCH_BATCH (AL64 batch, default 64; quick 4),
 * BENCH_CONV_BATCH (default 64; quick 4), BENCH_WEBGPU_KERNELS_ONLY=1 (no AL64 rows), VK_ICD_FILENAMES (else SwiftShader where installed).
 * Writes bench/results/webgpu.json (+ .meta.json).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebGpuBackend, type WebGpuBackend } from '../kernels/gpujs/webgpu/backend.js';
import { useSoftwareVulkanUnlessSet } from '../kernels/gpujs/webgpu/test-device.js';
import { specFlops, specName, type KernelSpec } from './anchors/kernel-specs.js';
import { filled, oursAl64 as oursAl64Ms, oursKernel as oursKernelMs, tfjsKernel as tfjsKernelMs, webgpuSpecs } from './webgpu-workloads.js';
import { loadTfjs } from './anchors/tfjs-kernels.js';
import { runTfjsTrain } from './anchors/tfjs-train.js';
import { printTable, type Cell } from './lib/table.js';
import { gflops, machineLine, type Timing } from './lib/timing.js';
import { writeResults, type ResultRow } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const BATCH = Number(process.env.BENCH_BATCH ?? (quick ? 4 : 64));
const CONV_BATCH = Number(process.env.BENCH_CONV_BATCH ?? (quick ? 4 : 64));
const KERNELS_ONLY = process.env.BENCH_WEBGPU_KERNELS_ONLY === '1';
const PLAN = quick ? { warmup: 1, reps: 1 } : { warmup: 1, reps: 3 };

// BENCH_QUICK drops matmul 1024: on SwiftShader (software) it alone takes minutes per engine
const SPECS: KernelSpec[] = webgpuSpecs(quick, CONV_BATCH);

type Tf = Awaited<ReturnType<typeof loadTfjs>>;
const asTiming = (ms: number): Timing => ({ medianMs: ms, minMs: ms, cpuPerWall: Number.NaN, reps: PLAN.reps });
const oursKernel = async (b: WebGpuBackend, s: KernelSpec) => asTiming(await oursKernelMs(b, s, PLAN));
const tfjsKernel = async (tf: Tf, s: KernelSpec) => asTiming(await tfjsKernelMs(tf, s, PLAN));
const oursAl64 = async (b: WebGpuBackend, w: 'infer' | 'baseline') => {
  const r = await oursAl64Ms(b, w, BATCH, PLAN);
  return { t: asTiming(r.ms), readsPerStep: r.readsPerStep };
};

const tfjsWebgpu = async (): Promise<Tf | string> => {
  try {
    const { create, globals } = (await import('webgpu')) as unknown as { create: (o: string[]) => unknown; globals: object };
    Object.assign(globalThis, globals);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true, writable: true });
    const tf = await loadTfjs();
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return 'tf.setBackend(webgpu) failed';
    await tf.ready();
    return tf;
  } catch (err) {
    return String(err);
  }
};

const main = async (): Promise<void> => {
  useSoftwareVulkanUnlessSet();
  console.log(`bench:webgpu  ${machineLine()}`);
  console.log(`VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? ''}; AL64 batch ${BATCH}, conv batch ${CONV_BATCH}, ${PLAN.reps} reps (median)`);
  const ours = createWebGpuBackend();
  console.log(`gpujs-webgpu adapter: ${ours.adapter}`);
  const rows: ResultRow[] = [];
  const table: Cell[][] = [];
  const overhead = await perOpOverhead(ours);
  console.log(`gpujs-webgpu per-op host overhead: ${overhead.toFixed(1)} µs (2000 chained adds of 1024 values, no read between)`);
  rows.push({ workload: 'per-op host overhead', engine: 'gpujs-webgpu', metric: 'us', value: overhead, unit: 'µs' });

  const oursK: Array<[KernelSpec, Timing]> = [];
  for (const s of SPECS) {
    oursK.push([s, await oursKernel(ours, s)]);
    console.log(`  gpujs-webgpu ${specName(s)}: ${oursK.at(-1)![1].medianMs.toFixed(1)} ms`);
  }
  const al64: Array<[string, Timing, 'baseline' | 'infer']> = [];
  if (!KERNELS_ONLY) {
    const train = await oursAl64(ours, 'baseline');
    console.log(`  gpujs-webgpu AL64 step b${BATCH}: ${train.t.medianMs.toFixed(0)} ms; reads per step: ${train.readsPerStep} (the logged loss)`);
    const infer = await oursAl64(ours, 'infer');
    console.log(`  gpujs-webgpu AL64 inference b${BATCH}: ${infer.t.medianMs.toFixed(0)} ms`);
    al64.push([`AL64 training step b${BATCH}`, train.t, 'baseline'], [`AL64 inference b${BATCH}`, infer.t, 'infer']);
  }
  ours.destroy();

  const tf = await tfjsWebgpu();
  if (typeof tf === 'string') console.log(`tfjs-webgpu unavailable: ${tf}`);
  else console.log(`tfjs-webgpu adapter: ${JSON.stringify(await adapterOf(tf))}`);
  for (const [s, t] of oursK) {
    const peer = typeof tf === 'string' ? null : await tfjsKernel(tf, s);
    if (peer) console.log(`  tfjs-webgpu ${specName(s)}: ${peer.medianMs.toFixed(1)} ms`);
    const [g, p] = [gflops(specFlops(s), t.medianMs), peer ? gflops(specFlops(s), peer.medianMs) : null];
    table.push([specName(s), g, p, p ? g / p : null]);
    rows.push({ workload: specName(s), engine: 'gpujs-webgpu', metric: 'gflops', value: g, unit: 'GFLOP/s' });
    if (p !== null) rows.push({ workload: specName(s), engine: 'tfjs-webgpu', metric: 'gflops', value: p, unit: 'GFLOP/s' });
  }
  for (const [name, mine, workload] of al64) {
    let peer: Timing | null = null;
    if (typeof tf !== 'string') {
      try {
        peer = (await runTfjsTrain({ backend: 'webgpu', workload, batch: BATCH, warmup: PLAN.warmup, reps: PLAN.reps })).timing;
      } catch (err) {
        console.log(`tfjs-webgpu ${name}: ${String(err)}`);
      }
    }
    const [g, p] = [(BATCH * 1000) / mine.medianMs, peer ? (BATCH * 1000) / peer.medianMs : null];
    table.push([`${name} (img/s)`, g, p, p ? g / p : null]);
    rows.push({ workload: name, engine: 'gpujs-webgpu', metric: 'images_per_s', value: g, unit: 'img/s' });
    if (p !== null) rows.push({ workload: name, engine: 'tfjs-webgpu', metric: 'images_per_s', value: p, unit: 'img/s' });
  }
  console.log('');
  printTable(['workload (GFLOP/s unless said)', 'gpujs-webgpu', 'tfjs-webgpu', 'ours / tfjs'], table);
  writeResults(join(root, 'bench', 'results', KERNELS_ONLY ? 'webgpu-kernels.json' : 'webgpu.json'), {
    benchmark: 'webgpu',
    date: new Date().toISOString(),
    machine: machineLine(),
    notes: [
      `adapter via VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? '(system)'}`,
      `AL64 batch ${BATCH}, conv batch ${CONV_BATCH}, reps ${PLAN.reps}`,
      'reads included in every timed run on both engines',
    ],
    rows,
  });
  process.exit(0); // tfjs-webgpu's Dawn device on this thread: exit rather than wait for it
};

/** Microseconds of host time per op: 2000 chained adds posted, then one read (the flush). */
const perOpOverhead = async (b: WebGpuBackend): Promise<number> => {
  const x = b.upload(filled(1024, 9));
  const warm = b.binary('add', x, [1024], x, [1024], [1024]);
  b.download(warm);
  b.release(warm);
  const made = [];
  let y = x;
  const t0 = performance.now();
  for (let i = 0; i < 2000; i++) made.push((y = b.binary('add', y, [1024], x, [1024], [1024])));
  const posted = performance.now() - t0;
  await b.downloadAsync(y);
  for (const h of [x, ...made]) b.release(h);
  return (posted * 1000) / 2000;
};

const adapterOf = async (tf: Tf): Promise<unknown> => {
  const backend = tf.backend() as unknown as { adapterInfo?: unknown };
  return backend.adapterInfo ?? 'unknown';
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
