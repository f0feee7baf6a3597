/**
 * Kernel benchmark (npm run bench:kernels): float32 matmul 256/512/1024 and conv2d (batch 64,
 * 128->128, 16x16, 3x3, pad 1) forward and both backward passes, in GFLOP/s, for
 *   - our fast CPU kernels (kernels/cpu/fast) on 1 and 2 threads (SharedArrayBuffer arrays, as
 *     the CPU backend allocates them), with CPU/wall to show whether two threads really ran;
 *   - our WebAssembly SIMD kernels (kernels/cpu/wasm) on 1 and 2 threads, timed as the backend
 *     calls them (operands copied into the wasm memory and the result out, included);
 *   - the GPU.js backend (kernels/gpujs), when present: op + download, few reps;
 *   - TensorFlow.js 4.22 'wasm' (XNNPACK, one thread in Node) and 'cpu' (plain JS: matmul
 *     256/512 and one conv forward rep only, it is very slow);
 *   - PyTorch CPU on 1 and 2 threads via /usr/bin/python3 (bench/anchors/torch_kernels.py),
 *     skipped with install instructions when torch is absent.
 * Prints a table with each of our columns' ratio to the best peer, and writes the rows to
 * bench/results/kernels.json. The machine is shared: compare ratios from the same run.
 * A control measures what two busy vCPUs give here right now (benchTwoCoreControl), since the
 * host does not always give two cores' worth.
 * Env: BENCH_QUICK=1 runs one rep of everything on smaller conv batches (a smoke test);
 * BENCH_ENGINES=elim,elim-wasm,tfjs-wasm,torch,gpujs,tfjs-cpu (comma list) runs only those groups
 * (written to bench/results/kernels-<groups>.json). The gpujs group on GL (bench/gl-kernels.ts,
 * in a child under xvfb-run -a when no display is set) brings tfjs-webgl beside it, with the
 * AL64 conv shapes and a gpujs-direct "before" column; it prints its own table.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../lib/rng/rng.js';
import type { Backend } from '../lib/backend/backend.js';
import { sizeOf } from '../lib/tensor/shape.js';
import {
  fastConv2d,
  fastConv2dBackwardFilter,
  fastConv2dBackwardInput,
  fastMatmul,
  fastThreads,
  fastThreadsFailure,
  setFastThreads,
} from '../kernels/cpu/fast/index.js';
import {
  setWasmThreads,
  wasmConv2d,
  wasmConv2dBackwardFilter,
  wasmConv2dBackwardInput,
  wasmKernelInfo,
  wasmKernelsAvailable,
  wasmFailure,
  wasmMatmul,
} from '../kernels/cpu/wasm/index.js';
import { enableRelaxedSimd } from '../kernels/cpu/wasm/relaxed-flag.js';
import { specFlops, specName, type ConvSpec, type KernelSpec } from './anchors/kernel-specs.js';
import { backendCall, convShapes, fillValue } from './lib/backend-call.js';
import { runTfjsKernels } from './anchors/tfjs-kernels.js';
import { gflops, machineLine, timeSync, type Timing } from './lib/timing.js';
import { printTable, type Cell } from './lib/table.js';
import { writeResults, type ResultRow } from './lib/results.js';
import { runPythonAnchor } from './lib/python.js';
import { jsonLines, runJsonChild } from './lib/child.js';
import { glChild, glTimeoutS } from './lib/gl-child.js';
import type { GlRow } from './gl-kernels.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root, from dist/bench (compiled) or bench (sources). */
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const quick = process.env.BENCH_QUICK === '1';
const only = (process.env.BENCH_ENGINES ?? '')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
const enabled = (group: string): boolean => only.length === 0 || only.includes(group);

const conv = (kind: ConvSpec['kind']): ConvSpec => ({ kind, N: quick ? 4 : 64, C: 128, O: 128, H: 16, W: 16, K: 3, pad: 1 });
const SPECS: KernelSpec[] = [
  { kind: 'matmul', n: 256 },
  { kind: 'matmul', n: 512 },
  { kind: 'matmul', n: 1024 },
  conv('conv2d-fwd'),
  conv('conv2d-bwd-input'),
  conv('conv2d-bwd-filter'),
];

interface Plan {
  readonly warmup: number;
  readonly reps: number;
}
const plan = (warmup: number, reps: number): Plan => (quick ? { warmup: Math.min(warmup, 1), reps: 1 } : { warmup, reps });

const rng = Rng.fromSeed(2);
const sharedRandom = (n: number): Float32Array => {
  const a = new Float32Array(new SharedArrayBuffer(n * 4));
  for (let i = 0; i < n; i++) a[i] = rng.uniform() * 2 - 1;
  return a;
};

/** The three n x n operands of a square matmul (a, b, then c, drawn in that order). */
const squareOperands = (n: number) => ({ a: sharedRandom(n * n), b: sharedRandom(n * n), c: sharedRandom(n * n) });

const rows: ResultRow[] = [];
const notes: string[] = [];
const ENGINES: string[] = [];
const value = new Map<string, number | null>(); // `${workload}|${engine}` -> GFLOP/s
const OURS = ['elim-fast t1', 'elim-fast t2', 'elim-wasm t1', 'elim-wasm t2', 'gpujs', 'gpujs-direct'];

/** `measured` names what really ran when it differs from `spec` (e.g. a smaller batch); the table shows it in spec's row. */
const record = (spec: KernelSpec, engine: string, g: number | null, t: Timing | null, measured: KernelSpec = spec): void => {
  const workload = specName(measured);
  if (!ENGINES.includes(engine)) ENGINES.push(engine);
  value.set(`${specName(spec)}|${engine}`, g);
  if (g !== null) rows.push({ workload, engine, metric: 'gflops', value: g, unit: 'GFLOP/s' });
  if (t) {
    rows.push({ workload, engine, metric: 'median_ms', value: t.medianMs, unit: 'ms' });
    rows.push({ workload, engine, metric: 'cpu_per_wall', value: t.cpuPerWall, unit: 'ratio' });
  }
};

const note = (msg: string): void => {
  notes.push(msg);
  console.log(`  note: ${msg}`);
};

// --- our fast kernels ---------------------------------------------------------------------------

const ourPlan = (s: KernelSpec): Plan => (s.kind === 'matmul' ? (s.n <= 256 ? plan(3, 9) : s.n <= 512 ? plan(2, 5) : plan(1, 3)) : plan(1, 3));

/** A conv spec's shapes and its x, w, y buffers (drawn in that order). */
const convOperands = (spec: ConvSpec) => {
  const shapes = convShapes(spec);
  const x = sharedRandom(sizeOf(shapes.xShape)),
    w = sharedRandom(sizeOf(shapes.wShape)),
    y = sharedRandom(sizeOf(shapes.yShape));
  return { ...shapes, x, w, y };
};

/** Times one of our kernels' `run` on `spec`, prints its GFLOP/s and records the row. */
const timeOurs = (spec: KernelSpec, engine: string, run: () => void): Timing => {
  const t = timeSync(run, ourPlan(spec));
  const g = gflops(specFlops(spec), t.medianMs);
  console.log(`  ${engine} ${specName(spec)}: ${g.toFixed(2)} GFLOP/s (median ${t.medianMs.toFixed(1)} ms of ${t.reps}, cpu/wall ${t.cpuPerWall.toFixed(2)})`);
  record(spec, engine, g, t);
  return t;
};

const benchOurs = (threads: number): void => {
  setFastThreads(threads);
  const got = fastThreads();
  const engine = `elim-fast t${threads}`;
  if (got !== threads) note(`${engine}: only ${got} thread(s) available (${fastThreadsFailure() || 'no reason given'})`);
  for (const spec of SPECS) {
    let run: () => void;
    if (spec.kind === 'matmul') {
      const n = spec.n;
      const { a, b, c } = squareOperands(n);
      run = () => fastMatmul(a, [1, n, n], b, [1, n, n], false, false, c);
    } else {
      const { xShape, wShape, yShape, attrs, x, w, y } = convOperands(spec);
      if (spec.kind === 'conv2d-fwd') run = () => fastConv2d(x, xShape, w, wShape, attrs, y);
      else if (spec.kind === 'conv2d-bwd-input') run = () => fastConv2dBackwardInput(y, yShape, w, wShape, xShape, attrs, x);
      else run = () => fastConv2dBackwardFilter(x, xShape, y, yShape, wShape, attrs, w);
    }
    timeOurs(spec, engine, run);
  }
};

// --- what two busy cores give (the control for every t2 column) -----------------------------------

/** `--busy-matmul N SECONDS`: a child that keeps one core on one-thread wasm matmul N. */
const busyMatmul = (n: number, seconds: number): void => {
  setWasmThreads(1);
  const { a, b, c } = squareOperands(n);
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) wasmMatmul(a, [1, n, n], b, [1, n, n], false, false, c);
};

/**
 * On this VM two vCPUs do not always give two cores' worth of SIMD work (a host neighbour, or
 * the vCPUs sharing a physical core): t2/t1 then measures the host, not the split. So matmul 512
 * on one thread is timed again while a second process keeps the other vCPU on the same kernel:
 * 2x that figure is what two independent single-thread processes got at that moment. It is a
 * reference, not a bound: it is taken after the t2 columns and the host changes within minutes
 * (in one run t2 came out 1.21x it). Rows: engine 'elim-wasm t1 + busy core'.
 */
const benchTwoCoreControl = async (): Promise<void> => {
  if (!wasmKernelsAvailable() || quick) return;
  const { spawn } = await import('node:child_process');
  const spec = SPECS.find((s) => s.kind === 'matmul' && s.n === 512)!;
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--busy-matmul', '512', '30'], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1500)); // its start-up and first calls
    setWasmThreads(1);
    const a = sharedRandom(512 * 512),
      b = sharedRandom(512 * 512),
      c = sharedRandom(512 * 512);
    const t = timeSync(() => wasmMatmul(a, [1, 512, 512], b, [1, 512, 512], false, false, c), plan(2, 9));
    const g = gflops(specFlops(spec), t.medianMs);
    rows.push({ workload: specName(spec), engine: 'elim-wasm t1 + busy core', metric: 'gflops', value: g, unit: 'GFLOP/s' });
    const t1 = value.get(`${specName(spec)}|elim-wasm t1`) ?? null;
    const t2 = value.get(`${specName(spec)}|elim-wasm t2`) ?? null;
    const capacity = 2 * g;
    rows.push({ workload: specName(spec), engine: 'two single-thread processes', metric: 'gflops', value: capacity, unit: 'GFLOP/s' });
    console.log(
      `  two-core control: matmul 512 one thread with the other vCPU busy on the same kernel: ${g.toFixed(2)} GFLOP/s (two such processes: ${capacity.toFixed(2)})`,
    );
    note(
      `two-core control (matmul 512): one thread alone ${t1?.toFixed(2) ?? '-'}, with the other vCPU busy ${g.toFixed(2)} GFLOP/s; ` +
        `two independent processes ${capacity.toFixed(2)} = ${t1 ? (capacity / t1).toFixed(2) : '-'}x one thread alone (what the host gives two busy vCPUs now); ` +
        `elim-wasm t2 ${t2?.toFixed(2) ?? '-'} = ${t2 ? (t2 / capacity).toFixed(2) : '-'} of that reference`,
    );
  } finally {
    child.kill();
    setWasmThreads();
  }
};

// --- our WebAssembly SIMD kernels -----------------------------------------------------------------

/** CPU ms per call of elim-wasm t1, by workload: t2's work efficiency is measured against it. */
const wasmCpuMs = new Map<string, number>();

const benchWasm = (threads: number): void => {
  const engine = `elim-wasm t${threads}`;
  const efficiency: string[] = [];
  if (!wasmKernelsAvailable()) {
    note(`${engine}: unavailable (${wasmFailure()}); column skipped`);
    return;
  }
  setWasmThreads(threads);
  note(`${engine}: ${wasmKernelInfo()}`);
  for (const spec of SPECS) {
    let run: () => void;
    if (spec.kind === 'matmul') {
      const n = spec.n;
      const { a, b, c } = squareOperands(n);
      run = () => wasmMatmul(a, [1, n, n], b, [1, n, n], false, false, c);
      if (n === 512 && threads === 1) {
        // what the copies into and out of the wasm memory cost, next to the whole call
        const copy = new Float32Array(3 * n * n);
        const tc = timeSync(() => {
          copy.set(a, 0);
          copy.set(b, n * n);
          c.set(copy.subarray(0, n * n));
        }, ourPlan(spec));
        const tg = timeSync(run, ourPlan(spec));
        note(
          `${engine} matmul 512: operand copies ${tc.medianMs.toFixed(2)} ms of ${tg.medianMs.toFixed(2)} ms per call (${((100 * tc.medianMs) / tg.medianMs).toFixed(1)}%)`,
        );
      }
    } else {
      const { xShape, wShape, attrs, x, w, y } = convOperands(spec);
      if (spec.kind === 'conv2d-fwd') run = () => wasmConv2d(x, xShape, w, wShape, attrs, y);
      else if (spec.kind === 'conv2d-bwd-input') run = () => wasmConv2dBackwardInput(y, w, wShape, xShape, attrs, x);
      else run = () => wasmConv2dBackwardFilter(x, xShape, y, wShape, attrs, w);
    }
    const t = timeOurs(spec, engine, run);
    const cpuMs = t.medianMs * t.cpuPerWall;
    if (threads === 1) wasmCpuMs.set(specName(spec), cpuMs);
    else efficiency.push(`${specName(spec)} ${((wasmCpuMs.get(specName(spec)) ?? Number.NaN) / cpuMs).toFixed(2)}`);
  }
  // on a busy machine two threads may share one core: then t2/t1 shows the machine, this shows the split's cost
  if (threads > 1)
    note(`${engine} work efficiency (CPU time per call of t1 / of t2; 1 = the split costs no extra work, so t2/t1 -> cpu/wall): ${efficiency.join(', ')}`);
  setWasmThreads();
};

// --- GPU.js backend on GL, beside tfjs-webgl -------------------------------------------------------

/** GL rows by workload, in the order measured (matmul, then the conv shapes), for the GL table. */
const glRows: GlRow[] = [];

/**
 * Runs bench/gl-kernels.ts in a child under a display (xvfb-run -a when none is set): gpujs,
 * gpujs-direct and tfjs-webgl on the same GL stack. False when no GL context was obtained.
 */
const benchGl = (): 'ok' | 'no-gl' | 'failed' => {
  const script = join(here, 'gl-kernels.js');
  const cmd = glChild(script, []);
  const r = runJsonChild<{ kernelClass: string; renderer: string | null; rows: GlRow[] }>(cmd.command, cmd.args, { timeoutMs: (glTimeoutS() + 30) * 1000 });
  if (!r.ok) note(`gpujs on GL (${cmd.via}): ${r.reason.slice(0, 300)}${r.stdout ? '; the rows measured before that are kept' : ''}`);
  else
    note(
      `gpujs on GL (${cmd.via}): kernel class ${r.value.kernelClass} on ${r.value.renderer ?? '?'}; tfjs-webgl on its own headless-gl context; each workload timed on both back to back, as op + read-back`,
    );
  if (!r.ok && r.reason.includes('no GL context')) return 'no-gl';
  const measured = r.ok ? r.value.rows : jsonLines(r.stdout).flatMap((l) => (l.row ? [l.row as GlRow] : []));
  for (const row of measured) {
    glRows.push(row);
    if (!ENGINES.includes(row.engine)) ENGINES.push(row.engine);
    if (row.note) note(`${row.engine} ${row.workload}: ${row.note}`);
    const spec = SPECS.find((s) => specName(s) === row.workload);
    if (spec) value.set(`${row.workload}|${row.engine}`, row.gflops);
    if (row.gflops !== null) rows.push({ workload: row.workload, engine: row.engine, metric: 'gflops', value: row.gflops, unit: 'GFLOP/s' });
    if (row.medianMs !== null) rows.push({ workload: row.workload, engine: row.engine, metric: 'median_ms', value: row.medianMs, unit: 'ms' });
  }
  const pairs = new Map<string, { ours?: number | null; tfjs?: number | null }>();
  for (const row of glRows) {
    const p = pairs.get(row.workload) ?? {};
    if (row.engine === 'gpujs') p.ours = row.gflops;
    if (row.engine === 'tfjs-webgl') p.tfjs = row.gflops;
    pairs.set(row.workload, p);
  }
  for (const [workload, p] of pairs) {
    if (p.ours && p.tfjs) rows.push({ workload, engine: 'gpujs / tfjs-webgl', metric: 'ratio', value: p.ours / p.tfjs, unit: 'ratio' });
  }
  return r.ok ? 'ok' : 'failed';
};

/** The GL table: gpujs and tfjs-webgl per workload, their ratio, and the direct kernels' figure where measured. */
const reportGl = (): void => {
  if (!glRows.length) return;
  const workloads = [...new Set(glRows.map((r) => r.workload))].filter((w) => glRows.some((r) => r.workload === w && r.engine !== 'gpujs-direct'));
  const get = (w: string, e: string) => glRows.find((r) => r.workload === w && r.engine === e)?.gflops ?? null;
  // the direct kernels ran the forward convolutions at a smaller batch: match on everything but the batch
  const directFor = (w: string) => get(w, 'gpujs-direct') ?? get(w.replace(/ b\d+ /, ` b${GPUJS_CONV_BATCH} `), 'gpujs-direct');
  console.log('\nGPU (headless GL), one run, each workload back to back on both engines (GFLOP/s):');
  printTable(
    ['workload', 'gpujs', 'tfjs-webgl', 'gpujs/tfjs-webgl', 'gpujs-direct (before)', 'gpujs/direct'],
    workloads.map((w) => {
      const o = get(w, 'gpujs'),
        t = get(w, 'tfjs-webgl'),
        d = directFor(w);
      return [w, o, t, o !== null && t ? o / t : null, d, o !== null && d ? o / d : null];
    }),
  );
};

// --- GPU.js backend off GL (WebAssembly mode) ------------------------------------------------------

/** GPU.js in WebAssembly mode runs ~0.1-2 GFLOP/s here: its convolutions use a smaller batch (GFLOP/s is a rate). */
const GPUJS_CONV_BATCH = 8;

const benchGpujs = async (): Promise<void> => {
  const compiled = join(root, 'dist', 'kernels', 'gpujs', 'gpujs-backend.js');
  const source = join(root, 'kernels', 'gpujs', 'gpujs-backend.ts');
  if (!existsSync(compiled) && !existsSync(source)) {
    note('gpujs: kernels/gpujs/gpujs-backend.ts not found; column skipped');
    return;
  }
  let be: Backend & { destroy?: () => void };
  try {
    const specifier = '../kernels/gpujs/gpujs-backend.js';
    const mod = (await import(specifier)) as { createGpujsBackend: (o?: { log?: (m: string) => void }) => Backend & { destroy?: () => void } };
    be = mod.createGpujsBackend({ log: () => {} });
  } catch (e) {
    note(`gpujs: backend failed to start (${(e as Error).message}); column skipped`);
    return;
  }
  const engine = 'gpujs';
  note(
    `gpujs: kernelClass ${be.kernelClass} (timed as op + download; webasm is a CPU path: few reps, no matmul 1024, convolutions at batch ${GPUJS_CONV_BATCH})`,
  );
  for (const full of SPECS) {
    const spec: KernelSpec = full.kind === 'matmul' ? full : { ...full, N: Math.min(full.N, GPUJS_CONV_BATCH) };
    if (spec.kind === 'matmul' && spec.n > 512) {
      record(spec, engine, null, null);
      continue;
    }
    const call = backendCall(be, spec);
    try {
      const t = timeSync(call.run, spec.kind === 'matmul' ? plan(1, spec.n <= 256 ? 3 : 2) : plan(1, 1));
      const g = gflops(specFlops(spec), t.medianMs);
      console.log(`  ${engine} ${specName(spec)}: ${g.toFixed(2)} GFLOP/s (median ${t.medianMs.toFixed(1)} ms of ${t.reps})`);
      record(full, engine, g, t, spec);
    } catch (e) {
      note(`gpujs ${specName(spec)} failed: ${(e as Error).message.split('\n')[0]}`);
      record(full, engine, null, null, spec);
    }
    call.release();
  }
  be.destroy?.();
};

// --- TensorFlow.js ------------------------------------------------------------------------------

const benchTfjs = async (backend: 'wasm' | 'cpu'): Promise<void> => {
  const engine = `tfjs-${backend}`;
  const specs =
    backend === 'wasm'
      ? SPECS.map((spec) => ({ spec, ...(spec.kind === 'matmul' ? plan(2, spec.n <= 512 ? 5 : 3) : plan(1, 3)) }))
      : SPECS.filter((s) => (s.kind === 'matmul' && s.n <= 512) || s.kind === 'conv2d-fwd').map((spec) => ({
          spec,
          ...(spec.kind === 'matmul' ? plan(1, 2) : plan(0, 1)),
        }));
  if (backend === 'cpu') note('tfjs-cpu: very slow, so only matmul 256/512 (2 reps) and one conv forward rep (no warm-up)');
  try {
    const res = await runTfjsKernels(backend, specs, fillValue);
    for (const r of res) {
      if (r.note) note(`${engine} ${specName(r.spec)}: ${r.note}`);
      if (r.gflops !== null)
        console.log(`  ${engine} ${specName(r.spec)}: ${r.gflops.toFixed(2)} GFLOP/s (median ${r.timing?.medianMs.toFixed(1)} ms of ${r.timing?.reps})`);
      record(r.spec, engine, r.gflops, r.timing);
    }
  } catch (e) {
    note(`${engine}: failed (${(e as Error).message.split('\n')[0]}); column skipped`);
  }
};

// --- PyTorch ------------------------------------------------------------------------------------

interface TorchAnswer {
  readonly torch: string;
  readonly threads: number;
  readonly rows: ReadonlyArray<{ workload: string; metric: string; value: number; unit: string }>;
}

const benchTorch = (threads: number): void => {
  const engine = `torch t${threads}`;
  const c = conv('conv2d-fwd');
  const script = join(root, 'bench', 'anchors', 'torch_kernels.py');
  const args = [
    '--threads',
    String(threads),
    '--reps',
    quick ? '1' : '5',
    '--conv-reps',
    quick ? '1' : '3',
    '--conv',
    [c.N, c.C, c.O, c.H, c.W, c.K, c.pad].join(','),
  ];
  const r = runPythonAnchor<TorchAnswer>(script, args, { timeoutMs: 240_000 });
  if (!r.ok) {
    note(`${engine}: skipped (${r.reason})`);
    return;
  }
  if (threads === 1) note(`torch ${r.value.torch} (${script})`);
  for (const row of r.value.rows) {
    const spec = SPECS.find((s) => specName(s) === row.workload);
    if (spec) {
      console.log(`  ${engine} ${row.workload}: ${row.value.toFixed(2)} GFLOP/s`);
      record(spec, engine, row.value, null);
    }
  }
};

// --- report -------------------------------------------------------------------------------------

/** elim-wasm t1 and t2 over the best peer, and t2 over t1. */
const wasmRatios = (v: (e: string) => number | null, best: readonly [string, number] | null): Cell[] => {
  const w1 = v('elim-wasm t1');
  const w2 = v('elim-wasm t2');
  return [best && w1 !== null ? w1 / best[1] : null, best && w2 !== null ? w2 / best[1] : null, w1 !== null && w2 !== null ? w2 / w1 : null];
};

const report = (): void => {
  const peers = ENGINES.filter((e) => !OURS.includes(e));
  const headers = ['workload (GFLOP/s)', ...ENGINES, 'best peer', 't1/best', 't2/best', 't2/t1', 'wasm t1/best', 'wasm t2/best', 'wasm t2/t1'];
  const table: Cell[][] = SPECS.map((spec) => {
    const w = specName(spec);
    const v = (e: string) => value.get(`${w}|${e}`) ?? null;
    const peerVals = peers.map((e) => [e, v(e)] as const).filter((p): p is readonly [string, number] => p[1] !== null);
    const best = peerVals.reduce<readonly [string, number] | null>((b, p) => (b === null || p[1] > b[1] ? p : b), null);
    const t1 = v('elim-fast t1');
    const t2 = v('elim-fast t2');
    return [
      w,
      ...ENGINES.map(v),
      best ? `${best[1].toFixed(2)} (${best[0]})` : null,
      best && t1 !== null ? t1 / best[1] : null,
      best && t2 !== null ? t2 / best[1] : null,
      t1 !== null && t2 !== null ? t2 / t1 : null,
      ...wasmRatios(v, best),
    ];
  });
  console.log('');
  printTable(headers, table);
  // On a shared machine the wall-clock rate mixes kernel speed with the CPU share obtained;
  // GFLOP per CPU-second (all threads together) is the kernel's own rate.
  console.log('\nelim-fast against the CPU it actually got (cpu/wall 2.00 = both threads ran throughout):');
  printTable(
    ['workload', 't1 cpu/wall', 't1 GFLOP/cpu-s', 't2 cpu/wall', 't2 GFLOP/cpu-s'],
    SPECS.map((s) => {
      const w = specName(s);
      const cpw = (e: string) => rows.find((r) => r.workload === w && r.engine === e && r.metric === 'cpu_per_wall')?.value ?? null;
      const per = (e: string) => {
        const g = value.get(`${w}|${e}`) ?? null;
        const c = cpw(e);
        return g !== null && c ? g / c : null;
      };
      return [w, cpw('elim-fast t1'), per('elim-fast t1'), cpw('elim-fast t2'), per('elim-fast t2')];
    }),
  );
  reportGl();
  if (notes.length) console.log(`\nnotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
};

const main = async (): Promise<void> => {
  const started = performance.now();
  const machine = machineLine();
  console.log(`bench:kernels — ${machine}${quick ? ' [BENCH_QUICK]' : ''}`);
  // as the elim CLI runs (bin/elim.js): before any wasm module is compiled; ELIM_WASM_RELAXED=0 measures plain SIMD
  note(`elim-wasm: ${enableRelaxedSimd()}`);
  if (enabled('elim')) for (const t of [1, 2]) benchOurs(t);
  if (enabled('elim-wasm')) {
    for (const t of [1, 2]) benchWasm(t);
    await benchTwoCoreControl();
  }
  if (enabled('tfjs-wasm')) await benchTfjs('wasm');
  if (enabled('torch')) for (const t of [1, 2]) benchTorch(t);
  // off GL the gpujs rows come from its WebAssembly mode; a GL run that failed is not redone there
  if (enabled('gpujs') && benchGl() === 'no-gl') await benchGpujs();
  if (enabled('tfjs-cpu')) await benchTfjs('cpu');
  report();
  // a subset run (BENCH_ENGINES) writes beside the full run's file, not over it
  const out = join(root, 'bench', 'results', only.length ? `kernels-${only.join('+')}.json` : 'kernels.json');
  writeResults(out, { benchmark: 'kernels', date: new Date().toISOString(), machine: `${machine}; at end: ${machineLine()}`, notes, rows });
  console.log(`\nwrote ${rows.length} rows to ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s; load at end: ${machineLine()}`);
};

const busyAt = process.argv.indexOf('--busy-matmul');
if (busyAt >= 0) {
  enableRelaxedSimd(); // the same kernel as the measured one
  busyMatmul(Number(process.argv[busyAt + 1]), Number(process.argv[busyAt + 2]));
  process.exit(0);
}
await main();
// GPU.js and tfjs may leave handles open; the pool's workers are unref'd already.
process.exit(0);
