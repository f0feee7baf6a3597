/**
 * Training benchmark (npm run bench:train; issue #7 item 6, and issue #3's loading check):
 * AL64 (lib/nn/al64.ts, batch 64) images/s for
 *   (a) the baseline training step: encoder forward, `baselineStep` (L_va + 0.5 (L_PCC +
 *       L_CCC)), backward, Adam (betas 0.5, 0.99);
 *   (b) the ELIM step: `elimStep` with 8 identities x 8 images, N = 8, k = 6, the default
 *       ElimConfig otherwise and warm-up off (the ELIM term is active; checked each step);
 *   (c) inference: eval mode, batch 64;
 * on our CPU backend with 1 and 2 threads, GPU.js when it has a GL kernel class (skipped
 * otherwise: its WebAssembly mode is far too slow), TensorFlow.js 'wasm' (custom conv
 * gradients: bench/anchors/tfjs-train.ts) and 'cpu' (inference at a reduced batch, labelled; its
 * training step only with BENCH_TFJS_CPU_TRAIN=1: ~2 min a step at batch 2), and PyTorch CPU
 * on 1 and 2 threads (bench/anchors/torch_train.py, baseline and a faithful ELIM step).
 * Every (engine, workload) runs in its own child process and reports its peak RSS. Then the
 * data loader (pipelines/data/measure-loading.ts: decode + augment, 64x64, worker threads) is
 * measured in the same session and compared with the CPU backend's training throughput, and
 * one ELIM step on 1 thread is profiled (node --cpu-prof) for its top self-time functions.
 *
 * Prints the tables, writes rows {workload, engine, metric, value, unit} to
 * bench/results/train.json atomically. The machine is shared: compare ratios from one run.
 * Env: BENCH_QUICK=1 one rep, no warm-up, small peers (a smoke test); BENCH_PROFILE=0 skips
 * the profile; BENCH_REPS overrides the timed reps of our training steps (default 2; peers 3);
 * BENCH_TFJS_CPU_TRAIN=1 adds one tfjs-cpu training step at batch 2; BENCH_ENGINES (comma list of
 * elim-cpu, tfjs-wasm, torch, gpujs, tfjs-cpu, loading, profile) runs only those groups.
 * GL (issue #14): gpujs and tfjs-webgl (stock autodiff, its own headless-gl context) run in
 * children under xvfb-run -a when no display is set, each workload on both back to back.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine } from './lib/timing.js';
import { printTable, type Cell } from './lib/table.js';
import { writeResults, type ResultRow } from './lib/results.js';
import { defaultPython } from './lib/python.js';
import { jsonLines, nodeMaxRssImport, runJsonChild } from './lib/child.js';
import { readCpuProfile, selfTimes } from './lib/cpuprofile.js';
import { runTrainChild, type ChildAnswer, type ChildSpec } from './lib/al64-child.js';
import { glChild, glTimeoutS } from './lib/gl-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = existsSync(join(here, '..', 'package.json')) ? join(here, '..') : join(here, '..', '..');
const self = fileURLToPath(import.meta.url);
const quick = process.env.BENCH_QUICK === '1';
const REPS = quick ? 1 : Number(process.env.BENCH_REPS ?? 2);
const WARM = quick ? 0 : 1;
const only = (process.env.BENCH_ENGINES ?? '')
  .split(',')
  .map((e) => e.trim())
  .filter(Boolean);
/** BENCH_ENGINES=elim-cpu,tfjs-wasm,torch,gpujs,tfjs-cpu,loading,profile (comma list) runs only those groups; gpujs brings its tfjs-webgl peer. */
const enabled = (group: string): boolean => only.length === 0 || only.includes(group);

type Workload = 'baseline' | 'elim' | 'infer';
const WORKLOADS: readonly Workload[] = ['baseline', 'elim', 'infer'];
const WL_NAME: Record<Workload, string> = { baseline: 'AL64 baseline step b64', elim: 'AL64 ELIM step b64 (8x8, N=8, k=6)', infer: 'AL64 inference b64' };

interface Measured {
  readonly imagesPerSecond: number;
  readonly medianMs: number;
  readonly batch: number;
  readonly reps: number;
  readonly cpuPerWall: number;
  readonly maxRssMiB: number | null;
  /** Measured at a batch other than 64 (tfjs-cpu): images/s scaled per image, labelled. */
  readonly reduced?: boolean;
}

const rows: ResultRow[] = [];
const notes: string[] = [];
const engines: string[] = [];
const results = new Map<string, Measured>(); // `${engine}|${workload}`

const note = (m: string): void => {
  notes.push(m);
  console.log(`  note: ${m}`);
};

const record = (engine: string, w: Workload, m: Measured): void => {
  if (!engines.includes(engine)) engines.push(engine);
  results.set(`${engine}|${w}`, m);
  const workload = m.batch === 64 ? WL_NAME[w] : `${WL_NAME[w].replace('b64', `b${m.batch}`)}`;
  rows.push({ workload, engine, metric: 'images_per_s', value: m.imagesPerSecond, unit: 'img/s' });
  rows.push({ workload, engine, metric: 'median_ms', value: m.medianMs, unit: 'ms' });
  rows.push({ workload, engine, metric: 'cpu_per_wall', value: m.cpuPerWall, unit: 'ratio' });
  if (m.maxRssMiB !== null) rows.push({ workload, engine, metric: 'peak_rss', value: m.maxRssMiB, unit: 'MiB' });
  console.log(
    `  ${engine} ${workload}: ${m.imagesPerSecond.toFixed(1)} img/s (median ${m.medianMs.toFixed(0)} ms of ${m.reps}, cpu/wall ${m.cpuPerWall.toFixed(2)}, peak RSS ${m.maxRssMiB?.toFixed(0) ?? '?'} MiB)`,
  );
};

/**
 * Runs one configuration of ours or tfjs in a child node process; GL engines (gpujs, tfjs-webgl)
 * under a display: xvfb-run -a when none is set (bench/lib/gl-child.ts).
 */
const nodeChild = (spec: ChildSpec, timeoutMs: number, extraArgs: readonly string[] = []): ChildAnswer | null => {
  const gl = spec.engine.startsWith('gpujs') || spec.engine === 'tfjs-webgl';
  const cmd = gl ? glChild(self, ['--child', JSON.stringify(spec)]) : { command: process.execPath, args: [self, '--child', JSON.stringify(spec)] };
  const r = runJsonChild<ChildAnswer>(cmd.command, gl ? cmd.args : [...extraArgs, ...cmd.args], {
    timeoutMs: gl ? Math.max(timeoutMs, (glTimeoutS() + 30) * 1000) : timeoutMs,
  });
  if (!r.ok) {
    note(`${spec.engine} ${spec.workload}: failed (${r.reason.slice(0, 300)})`);
    return null;
  }
  return r.value;
};

/** A child's timing as a row's measurement: images per second from the batch and the median. */
const measured = (t: { batch: number; medianMs: number; reps: number; cpuPerWall: number; maxRssKiB: number }) => ({
  imagesPerSecond: (t.batch * 1000) / t.medianMs,
  medianMs: t.medianMs,
  batch: t.batch,
  reps: t.reps,
  cpuPerWall: t.cpuPerWall,
  maxRssMiB: t.maxRssKiB / 1024,
});

const fromAnswer = (a: ChildAnswer, reduced = false): Measured => ({ ...measured(a), reduced });

// --- ours -------------------------------------------------------------------------------------

const benchOurs = (threads: number): void => {
  const engine = `elim-cpu t${threads}`;
  for (const w of WORKLOADS) {
    const a = nodeChild({ engine: 'elim-cpu', threads, workload: w, batch: 64, warmup: WARM, reps: w === 'infer' ? REPS + 1 : REPS }, 300_000);
    if (!a) continue;
    if (a.kernelClass && w === 'baseline') note(`${engine}: kernel class ${a.kernelClass}`);
    if (w === 'elim' && a.elimActive === false) note(`${engine}: the ELIM term was NOT active (outcome ${a.outcome}, L_main ${a.main})`);
    record(engine, w, fromAnswer(a));
  }
};

const benchGpujs = (): void => {
  const probe = nodeChild({ engine: 'gpujs-probe', threads: 0, workload: 'infer', batch: 0, warmup: 0, reps: 0 }, 60_000);
  if (!probe) return;
  if (!probe.isGL) {
    note(
      `gpujs: skipped — GPU.js gave ${probe.kernelClass} (no GL context: its WebAssembly mode is far too slow for AL64 training; run under xvfb-run with headless-gl built for HeadlessGLKernel)`,
    );
    return;
  }
  note(
    `gpujs: kernel class ${probe.kernelClass} on ${probe.renderer ?? '?'}; tfjs-webgl (stock autodiff) on its own headless-gl context; each workload on both engines back to back`,
  );
  // the issue-14 pairs first (ELIM step vs tfjs's baseline step, then inference), our baseline step last
  const order: ReadonlyArray<readonly [string, Workload]> = [
    ['gpujs', 'elim'],
    ['tfjs-webgl', 'baseline'],
    ['gpujs', 'infer'],
    ['tfjs-webgl', 'infer'],
    ['gpujs', 'baseline'],
  ];
  for (const [engine, w] of order) {
    const a = nodeChild({ engine, threads: 0, workload: w, batch: 64, warmup: WARM, reps: REPS }, 400_000);
    if (!a) continue;
    record(engine, w, fromAnswer(a));
    if (w === 'elim' && a.elimActive === false) note(`gpujs: the ELIM term was NOT active (outcome ${a.outcome}, L_main ${a.main})`);
  }
};

// --- TensorFlow.js ------------------------------------------------------------------------------

const TFJS_CPU_TRAIN_BATCH = 2;
const TFJS_CPU_INFER_BATCH = 8;

const benchTfjs = (backend: 'wasm' | 'cpu'): void => {
  const engine = `tfjs-${backend}`;
  const cpuTrain = process.env.BENCH_TFJS_CPU_TRAIN === '1';
  for (const w of ['baseline', 'infer'] as const) {
    if (backend === 'cpu' && w === 'baseline' && !cpuTrain && !quick) continue;
    const reduced = backend === 'cpu' && !quick;
    const batch = quick ? 2 : backend === 'cpu' ? (w === 'baseline' ? TFJS_CPU_TRAIN_BATCH : TFJS_CPU_INFER_BATCH) : 64;
    const plan = backend === 'cpu' ? { warmup: 0, reps: 1 } : { warmup: WARM, reps: w === 'infer' ? REPS + 1 : REPS + 1 };
    const a = nodeChild({ engine, threads: 1, workload: w, batch, ...plan }, 400_000);
    if (!a) continue;
    if (w === 'baseline' && a.customConvGrad)
      note(`${engine}: trained with custom conv gradients (tf.customGrad from conv2d; no Conv2DBackpropFilter kernel on wasm)`);
    record(engine, w, fromAnswer(a, reduced || batch !== 64));
  }
  if (backend === 'wasm') note(`tfjs-wasm runs one thread in Node (multithreading is forced off there)`);
  if (backend === 'cpu')
    note(
      cpuTrain
        ? `tfjs-cpu: plain-JS backend, very slow: training timed as ONE step at batch ${TFJS_CPU_TRAIN_BATCH} (no warm-up) and inference as one batch of ${TFJS_CPU_INFER_BATCH}; images/s scaled per image (*)`
        : `tfjs-cpu: plain-JS backend, very slow: inference timed as one batch of ${TFJS_CPU_INFER_BATCH} (images/s per image, *); its training step is not run by default (measured once while writing this bench: 104-124 s per step at batch 2, about 0.02 img/s, on this shared machine; BENCH_TFJS_CPU_TRAIN=1 times one step at batch ${TFJS_CPU_TRAIN_BATCH})`,
    );
};

// --- PyTorch ------------------------------------------------------------------------------------

interface TorchAnswer {
  readonly torch: string;
  readonly threads: number;
  readonly batch: number;
  readonly median_ms: number;
  readonly reps: number;
  readonly cpu_per_wall: number;
  readonly max_rss_kib: number;
}

const benchTorch = (threads: number): boolean => {
  const engine = `torch t${threads}`;
  const script = join(root, 'bench', 'anchors', 'torch_train.py');
  for (const w of WORKLOADS) {
    const r = runJsonChild<TorchAnswer>(
      defaultPython(),
      [script, '--threads', String(threads), '--workload', w, '--warmup', String(Math.max(1, WARM)), '--reps', String(quick ? 1 : 3)],
      { timeoutMs: 300_000 },
    );
    if (!r.ok) {
      note(`${engine}: skipped (${r.reason})`);
      return false;
    }
    const a = r.value;
    if (threads === 1 && w === 'baseline') note(`torch ${a.torch} via ${defaultPython()}`);
    record(engine, w, measured({ batch: a.batch, medianMs: a.median_ms, reps: a.reps, cpuPerWall: a.cpu_per_wall, maxRssKiB: a.max_rss_kib }));
  }
  return true;
};

// --- data loading (issue #3) ------------------------------------------------------------------

interface LoadingRow {
  readonly source: string;
  readonly workers: number;
  readonly imagesPerSecond: number;
}

const benchLoading = (): { rows: LoadingRow[]; maxRssMiB: number | null } => {
  const script = join(root, 'dist', 'pipelines', 'data', 'measure-loading.js');
  if (!existsSync(script)) {
    note(`data loading: ${script} not built; skipped`);
    return { rows: [], maxRssMiB: null };
  }
  const r = runJsonChild<{ maxRssKiB: number }>(process.execPath, [...nodeMaxRssImport(), script, '1', '2'], { timeoutMs: 180_000 });
  if (!r.ok) {
    note(`data loading: failed (${r.reason})`);
    return { rows: [], maxRssMiB: null };
  }
  const out = jsonLines(r.stdout)
    .filter((l) => typeof l.imagesPerSecond === 'number')
    .map((l) => ({ source: String(l.source), workers: Number(l.workers), imagesPerSecond: Number(l.imagesPerSecond) }));
  for (const l of out) {
    rows.push({
      workload: `data loading ${l.source} decode+augment 64x64 b64`,
      engine: `decode-pool w${l.workers}`,
      metric: 'images_per_s',
      value: l.imagesPerSecond,
      unit: 'img/s',
    });
    console.log(`  data loading ${l.source} w${l.workers}: ${l.imagesPerSecond} img/s`);
  }
  rows.push({
    workload: 'data loading (measure-loading.js, all configs)',
    engine: 'decode-pool',
    metric: 'peak_rss',
    value: r.value.maxRssKiB / 1024,
    unit: 'MiB',
  });
  return { rows: out, maxRssMiB: r.value.maxRssKiB / 1024 };
};

// --- profile ------------------------------------------------------------------------------------

const profileStep = (): void => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-train-prof-'));
  try {
    const a = nodeChild({ engine: 'elim-cpu', threads: 1, workload: 'elim', batch: 64, warmup: 1, reps: 1 }, 300_000, ['--cpu-prof', '--cpu-prof-dir', dir]);
    if (!a) return;
    const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    if (!files.length) {
      note('profile: no .cpuprofile written');
      return;
    }
    // the main thread's profile is the largest (t1: every kernel runs there)
    const prof = files.map((f) => readCpuProfile(join(dir, f))).sort((x, y) => y.samples.length - x.samples.length)[0];
    const top = selfTimes(prof)
      .filter((s) => s.name !== '(idle)' && s.name !== '(program)')
      .slice(0, 15);
    console.log('\nprofile: elim-cpu t1, process lifetime = setup + 1 warm-up + 1 timed AL64 ELIM step (node --cpu-prof), top self time:');
    printTable(
      ['function', 'where', 'self ms', 'share %'],
      top.map((s) => [s.name, s.where, s.ms, s.share * 100]),
      1,
    );
    for (const s of top.slice(0, 8))
      rows.push({ workload: 'profile AL64 ELIM t1 (setup + 2 steps)', engine: `${s.name} ${s.where}`, metric: 'self_share', value: s.share, unit: 'ratio' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// --- report -------------------------------------------------------------------------------------

const OURS = ['elim-cpu t1', 'elim-cpu t2', 'gpujs'];

const report = (loading: LoadingRow[]): void => {
  const get = (e: string, w: Workload) => results.get(`${e}|${w}`) ?? null;
  const ips = (e: string, w: Workload) => get(e, w)?.imagesPerSecond ?? null;
  const peers = engines.filter((e) => !OURS.includes(e));
  const best = (w: Workload): readonly [string, number] | null =>
    peers
      .map((e) => [e, get(e, w)] as const)
      .filter((p): p is readonly [string, Measured] => p[1] !== null && !p[1].reduced)
      .reduce<readonly [string, number] | null>((b, [e, m]) => (b === null || m.imagesPerSecond > b[1] ? [e, m.imagesPerSecond] : b), null);
  const tfjsBase = ips('tfjs-wasm', 'baseline');
  const bests = { baseline: best('baseline'), elim: best('elim'), infer: best('infer') };
  const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : null);
  const lbl = (e: string, w: Workload) => {
    const m = get(e, w);
    return m ? (m.reduced ? `${m.imagesPerSecond.toFixed(2)}*` : m.imagesPerSecond) : null;
  };
  const headers = [
    'engine',
    'base img/s',
    'ELIM img/s',
    'infer img/s',
    'ELIM cost/base',
    'base/tfjs-wasm base',
    'ELIM/tfjs-wasm base',
    'base/best peer',
    'ELIM/best peer',
    'infer/best peer',
  ];
  const table: Cell[][] = engines.map((e) => [
    e,
    lbl(e, 'baseline'),
    lbl(e, 'elim'),
    lbl(e, 'infer'),
    ratio(ips(e, 'baseline'), ips(e, 'elim')), // step cost ratio = time_elim / time_base
    ratio(ips(e, 'baseline'), tfjsBase),
    ratio(ips(e, 'elim'), tfjsBase),
    ratio(ips(e, 'baseline'), bests.baseline?.[1] ?? null),
    ratio(ips(e, 'elim'), bests.elim?.[1] ?? null),
    ratio(ips(e, 'infer'), bests.infer?.[1] ?? null),
  ]);
  console.log('');
  printTable(headers, table);
  console.log(
    `best peer: baseline ${fmtBest(bests.baseline)}, ELIM ${fmtBest(bests.elim)}, inference ${fmtBest(bests.infer)} (reduced-batch figures, marked *, are not candidates)`,
  );

  const mem: Cell[][] = engines.map((e) => [
    e,
    ...WORKLOADS.map((w) => get(e, w)?.maxRssMiB ?? null),
    ...WORKLOADS.map((w) => get(e, w)?.cpuPerWall ?? null),
    ...WORKLOADS.map((w) => get(e, w)?.reps ?? null),
  ]);
  console.log('');
  printTable(
    [
      'engine',
      'peak RSS base MiB',
      'RSS ELIM MiB',
      'RSS infer MiB',
      'cpu/wall base',
      'cpu/wall ELIM',
      'cpu/wall infer',
      'reps base',
      'reps ELIM',
      'reps infer',
    ],
    mem,
    2,
  );

  console.log('\ntargets (issue #7):');
  for (const e of ['elim-cpu t1', 'elim-cpu t2', 'gpujs']) {
    const el = ips(e, 'elim');
    const b = ips(e, 'baseline');
    if (el === null) continue;
    const r1 = ratio(el, tfjsBase);
    const r2 = ratio(b, el);
    console.log(
      `  ${e}: ELIM step ${r1 === null ? '?' : `${r1.toFixed(2)}x`} tfjs-wasm's baseline-step img/s (target >= 0.5x: ${r1 === null ? 'unknown' : r1 >= 0.5 ? 'MET' : 'NOT met'}); ELIM step cost ${r2 === null ? '?' : `${r2.toFixed(2)}x`} the baseline step (target <= 1.15x: ${r2 === null ? 'unknown' : r2 <= 1.15 ? 'MET' : 'NOT met'})`,
    );
    if (r1 !== null) rows.push({ workload: 'target ELIM step / tfjs-wasm baseline step (>= 0.5)', engine: e, metric: 'ratio', value: r1, unit: 'ratio' });
    if (r2 !== null) rows.push({ workload: 'target ELIM step cost / baseline step cost (<= 1.15)', engine: e, metric: 'ratio', value: r2, unit: 'ratio' });
  }

  // issue #5: the CPU backend against TensorFlow.js's WebAssembly backend on the same machine
  const tfjsInfer = ips('tfjs-wasm', 'infer');
  console.log('\ntargets (issue #5, CPU backend vs tfjs-wasm):');
  for (const e of ['elim-cpu t1', 'elim-cpu t2']) {
    const r1 = ratio(ips(e, 'elim'), tfjsBase);
    const r2 = ratio(ips(e, 'infer'), tfjsInfer);
    const verdict = (r: number | null) => (r === null ? 'unknown' : r >= 1 ? 'MET' : 'NOT met');
    console.log(
      `  ${e}: ELIM step ${r1 === null ? '?' : `${r1.toFixed(2)}x`} tfjs-wasm's baseline step (target >= 1.0x: ${verdict(r1)}); inference ${r2 === null ? '?' : `${r2.toFixed(2)}x`} tfjs-wasm's (target >= 1.0x: ${verdict(r2)})`,
    );
    if (r1 !== null)
      rows.push({ workload: 'target ELIM step / tfjs-wasm baseline step (>= 1.0, issue 5)', engine: e, metric: 'ratio', value: r1, unit: 'ratio' });
    if (r2 !== null) rows.push({ workload: 'target inference / tfjs-wasm inference (>= 1.0)', engine: e, metric: 'ratio', value: r2, unit: 'ratio' });
  }

  // issue #14: gpujs against tfjs-webgl on the same GL stack (headless-gl)
  const glBase = ips('tfjs-webgl', 'baseline');
  const glInfer = ips('tfjs-webgl', 'infer');
  if (glBase !== null || glInfer !== null) {
    console.log('\ntargets (issue #14, gpujs vs tfjs-webgl on headless GL):');
    const verdict = (r: number | null) => (r === null ? 'unknown' : r >= 1 ? 'MET' : 'NOT met');
    const rs = [
      ['ELIM step / tfjs-webgl baseline step', ratio(ips('gpujs', 'elim'), glBase)],
      ['baseline step / tfjs-webgl baseline step', ratio(ips('gpujs', 'baseline'), glBase)],
      ['inference / tfjs-webgl inference', ratio(ips('gpujs', 'infer'), glInfer)],
    ] as const;
    for (const [what, r] of rs) {
      console.log(`  gpujs ${what}: ${r === null ? '?' : `${r.toFixed(2)}x`} (target >= 1.0x: ${verdict(r)})`);
      if (r !== null) rows.push({ workload: `target gpujs ${what} (>= 1.0, issue 14)`, engine: 'gpujs', metric: 'ratio', value: r, unit: 'ratio' });
    }
  }

  if (loading.length) {
    const cpuTrain = Math.max(...['elim-cpu t1', 'elim-cpu t2'].flatMap((e) => (['baseline', 'elim'] as const).map((w) => ips(e, w) ?? 0)));
    console.log(
      `\ndata loading (issue #3: sustain >= 3x the CPU backend's AL64 training throughput, here the best of its baseline/ELIM steps: ${cpuTrain.toFixed(1)} img/s):`,
    );
    printTable(
      ['source', 'workers', 'img/s', 'x CPU training', '>= 3x'],
      loading.map((l) => [
        l.source,
        String(l.workers),
        l.imagesPerSecond,
        cpuTrain > 0 ? l.imagesPerSecond / cpuTrain : null,
        cpuTrain > 0 ? (l.imagesPerSecond / cpuTrain >= 3 ? 'MET' : 'NOT met') : '?',
      ]),
    );
    for (const l of loading)
      if (cpuTrain > 0)
        rows.push({
          workload: `target loading ${l.source} / CPU AL64 training (>= 3)`,
          engine: `decode-pool w${l.workers}`,
          metric: 'ratio',
          value: l.imagesPerSecond / cpuTrain,
          unit: 'ratio',
        });
  }
  if (notes.length) console.log(`\nnotes:\n${notes.map((n) => `  - ${n}`).join('\n')}`);
};

const fmtBest = (b: readonly [string, number] | null): string => (b ? `${b[1].toFixed(1)} img/s (${b[0]})` : '-');

const main = async (): Promise<void> => {
  const started = performance.now();
  const machine = machineLine();
  console.log(
    `bench:train — ${machine}${quick ? ' [BENCH_QUICK]' : ''}; our training steps: ${WARM} warm-up + ${REPS} timed, inference ${REPS + 1}; each (engine, workload) in its own process`,
  );
  if (enabled('elim-cpu')) for (const t of [1, 2]) benchOurs(t);
  if (enabled('tfjs-wasm')) benchTfjs('wasm');
  if (enabled('torch')) for (const t of [1, 2]) if (!benchTorch(t)) break;
  if (enabled('gpujs')) benchGpujs();
  if (enabled('tfjs-cpu')) benchTfjs('cpu');
  const loading = enabled('loading') ? benchLoading() : { rows: [] };
  if (process.env.BENCH_PROFILE !== '0' && enabled('profile')) profileStep();
  report(loading.rows);
  // a subset run (BENCH_ENGINES) writes beside the full run's file, not over it
  const out = join(root, 'bench', 'results', only.length ? `train-${only.join('+')}.json` : 'train.json');
  writeResults(out, { benchmark: 'train', date: new Date().toISOString(), machine: `${machine}; at end: ${machineLine()}`, notes, rows });
  console.log(`\nwrote ${rows.length} rows to ${out} in ${((performance.now() - started) / 1000).toFixed(0)} s; load at end: ${machineLine()}`);
};

if (process.argv[2] === '--child') {
  const answer = await runTrainChild(JSON.parse(process.argv[3]) as ChildSpec);
  process.stdout.write(`${JSON.stringify(answer)}\n`);
} else {
  await main();
}
// GPU.js, tfjs and the worker pool may leave handles open
process.exit(0);
