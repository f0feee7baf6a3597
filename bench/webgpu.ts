/**
 * bench:webgpu — the gpujs backend's WebGPU mode beside TensorFlow.js's WebGPU backend
 * (@tensorflow/tfjs-backend-webgpu 4.22), both on Dawn (the `webgpu` npm package) in Node, in
 * one process: matmul 256/512/1024, conv2d forward (b64 128->128 16x16 3x3, as bench:kernels),
 * AL64 inference and an AL64 training step (baseline objective, Adam; 64 px).
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
import * as E from 'fp-ts/lib/Either.js';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TfCore from '@tensorflow/tfjs-core';
import { useBackend } from '../lib/backend/current.js';
import { createAl64 } from '../lib/nn/al64.js';
import { initModule } from '../lib/nn/module.js';
import { subtree } from '../lib/nn/tree.js';
import { noGrad } from '../lib/autograd/tape.js';
import * as T from '../lib/ops/index.js';
import { adam } from '../lib/optim/adam.js';
import { Rng } from '../lib/rng/rng.js';
import { scope } from '../lib/tensor/scope.js';
import type { Tensor } from '../lib/tensor/tensor.js';
import { baselineStep } from '../pipelines/baseline.js';
import { withGrad, type StepOutput } from '../pipelines/elim.js';
import { makeEnv } from '../pipelines/env.js';
import { makeConfig } from '../pipelines/config.js';
import { formatElimError } from '../pipelines/errors.js';
import { createWebGpuBackend, type WebGpuBackend } from '../kernels/gpujs/webgpu/backend.js';
import { useSoftwareVulkanUnlessSet } from '../kernels/gpujs/webgpu/test-device.js';
import { specFlops, specName, type ConvSpec, type KernelSpec } from './anchors/kernel-specs.js';
import { loadTfjs } from './anchors/tfjs-kernels.js';
import { runTfjsTrain } from './anchors/tfjs-train.js';
import { printTable, type Cell } from './lib/table.js';
import { gflops, machineLine, timeAsync, type Timing } from './lib/timing.js';
import { writeResults, type ResultRow } from './lib/results.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const BATCH = Number(process.env.BENCH_BATCH ?? (quick ? 4 : 64));
const CONV_BATCH = Number(process.env.BENCH_CONV_BATCH ?? (quick ? 4 : 64));
const KERNELS_ONLY = process.env.BENCH_WEBGPU_KERNELS_ONLY === '1';
const PLAN = quick ? { warmup: 1, reps: 1 } : { warmup: 1, reps: 3 };

// BENCH_QUICK drops matmul 1024: on SwiftShader (software) it alone takes minutes per engine
const SPECS: KernelSpec[] = [
  { kind: 'matmul', n: 256 },
  { kind: 'matmul', n: 512 },
  ...(quick ? [] : [{ kind: 'matmul', n: 1024 } as const]),
  { kind: 'conv2d-fwd', N: CONV_BATCH, C: 128, O: 128, H: 16, W: 16, K: 3, pad: 1 },
];

const filled = (n: number, seed: number): Float32Array => {
  const a = new Float32Array(n);
  Rng.fromSeed(seed).fillUniform(a, -1, 1);
  return a;
};

/** Ours: one kernel (or op) + an awaited read per run. */
const oursKernel = async (b: WebGpuBackend, s: KernelSpec): Promise<Timing> => {
  if (s.kind === 'matmul') {
    const a = b.upload(filled(s.n * s.n, 1));
    const c = b.upload(filled(s.n * s.n, 2));
    const t = await timeAsync(async () => {
      const h = b.matmul(a, [1, s.n, s.n], c, [1, s.n, s.n], false, false);
      await b.downloadAsync(h);
      b.release(h);
    }, PLAN);
    b.release(a);
    b.release(c);
    return t;
  }
  const cs = s as ConvSpec;
  const x = b.upload(filled(cs.N * cs.C * cs.H * cs.W, 3));
  const w = b.upload(filled(cs.O * cs.C * cs.K * cs.K, 4));
  const t = await timeAsync(async () => {
    const h = b.conv2d(x, [cs.N, cs.C, cs.H, cs.W], w, [cs.O, cs.C, cs.K, cs.K], { stride: [1, 1], pad: [cs.pad, cs.pad] });
    await b.downloadAsync(h);
    b.release(h);
  }, PLAN);
  b.release(x);
  b.release(w);
  return t;
};

type Tf = Awaited<ReturnType<typeof loadTfjs>>;

const tfjsKernel = async (tf: Tf, s: KernelSpec): Promise<Timing> => {
  const keep: TfCore.Tensor[] = [];
  let run: () => TfCore.Tensor;
  if (s.kind === 'matmul') {
    const a = tf.tensor2d(filled(s.n * s.n, 1), [s.n, s.n]);
    const c = tf.tensor2d(filled(s.n * s.n, 2), [s.n, s.n]);
    keep.push(a, c);
    run = () => tf.matMul(a, c);
  } else {
    const cs = s as ConvSpec;
    const x = tf.tensor4d(filled(cs.N * cs.H * cs.W * cs.C, 3), [cs.N, cs.H, cs.W, cs.C]);
    const w = tf.tensor4d(filled(cs.K * cs.K * cs.C * cs.O, 4), [cs.K, cs.K, cs.C, cs.O]);
    keep.push(x, w);
    run = () => tf.conv2d(x, w, 1, cs.pad);
  }
  const t = await timeAsync(async () => {
    const r = run();
    await r.data();
    r.dispose();
  }, PLAN);
  tf.dispose(keep);
  return t;
};

/** Ours: AL64 (64 px) inference or one baseline training step (Adam), reads included. */
const oursAl64 = async (b: WebGpuBackend, workload: 'infer' | 'baseline'): Promise<{ t: Timing; readsPerStep?: number }> => {
  useBackend(b);
  const B = BATCH;
  const al = createAl64({ batch: B });
  const rng = Rng.fromSeed(7);
  const enc = initModule(al.encoder, rng.fork());
  const proj = initModule(al.projector, rng.fork());
  const pre = (p: string, m: ReadonlyMap<string, Tensor>) => [...m].map(([k, v]) => [`${p}.${k}`, v] as const);
  let params = new Map<string, Tensor>([...pre('encoder', enc.params), ...pre('projector', proj.params)]);
  const state = new Map<string, Tensor>([...pre('encoder', enc.state), ...pre('projector', proj.state)]);
  const x = T.tensor(filled(B * 3 * 64 * 64, 5), [B, 3, 64, 64]);
  const y = T.tensor(filled(B * 2, 6), [B, 2]);
  if (workload === 'infer') {
    const t = await timeAsync(async () => {
      const out = noGrad(() =>
        scope(() => {
          const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: false });
          return al.projector.apply(subtree(params, 'projector'), subtree(state, 'projector'), e.y, { training: false }).y;
        }),
      );
      await out.toArrayAsync();
      out.dispose();
    }, PLAN);
    return { t };
  }
  const optimizer = adam({ lr: 1e-4, betas: [0.5, 0.99] });
  let opt = optimizer.init(params);
  const env = makeEnv({ config: makeConfig({}), seed: 11 });
  const dropout = Rng.fromSeed(13);
  const keys = Array.from({ length: B }, (_, i) => `id${i % 4}`);
  let reads = 0;
  const step = async (): Promise<void> => {
    const r0 = b.stats.syncReads + b.stats.asyncReads;
    const r = withGrad(params, () => {
      const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: true, rng: dropout.fork() });
      const out = baselineStep({
        z: e.y,
        labels: y,
        keys,
        iteration: 1,
        models: { projector: { module: al.projector, params: subtree(params, 'projector'), state: subtree(state, 'projector') } },
      })(env);
      return E.map((o: StepOutput) => ({ loss: o.loss }))(out);
    });
    if (E.isLeft(r)) throw new Error(formatElimError(r.left));
    const next = optimizer.step(params, r.right.grads, opt);
    for (const g of r.right.grads.values()) g.dispose();
    params = next.params;
    opt = next.state;
    await r.right.out.loss.itemAsync(); // the one scalar a trainer logs
    r.right.out.loss.dispose();
    reads = b.stats.syncReads + b.stats.asyncReads - r0;
  };
  const t = await timeAsync(step, PLAN);
  return { t, readsPerStep: reads };
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
