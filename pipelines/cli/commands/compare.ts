/**
 * `elim compare`: ELIM vs the baseline over paired seeds. For each seed both methods see the
 * same data draw (held-out identities drawn per seed), the same initialisation and the same
 * batches; they differ only in the objective. Prints a table of mean ± std over seeds and the
 * paired differences, on held-out and on training identities, and writes compare.json
 * (CompareResult), compare.md, a side-by-side t-SNE and each run's folder.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import type { CommandSpec, OptionSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { installBackend } from '../backend-choice.js';
import { dataSpecFrom } from '../data-options.js';
import { createEventSink } from '../events.js';
import { clipNormOf, runSpecFrom, TRAIN_OPTIONS, type RunSpec } from '../train-options.js';
import { executeRun, pairs2, type RunOutputs } from '../../train/run.js';
import { loadRunData } from '../../train/load-data.js';
import { formatDataError } from '../../data/data-error.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import { formatCompareTable, markdownSummary, plotTsneSideBySide, tsne, type Axes, type CompareResult, type MetricSet, type Stat } from '../../report/index.js';
import type { VaMetrics } from '../../train/evaluate.js';

const COMPARE_ONLY: OptionSpec[] = [
  { name: 'seeds', kind: 'list', default: ['0', '1', '2'], help: 'paired seeds (each: its own data draw, initialisation and batches, shared by both methods)', group: 'run' },
];

export const spec: CommandSpec = {
  name: 'compare',
  summary: 'ELIM vs baseline over several paired seeds on held-out identities (the main job)',
  usage: 'elim compare [--seeds 0,1,2] [--steps N] [--out DIR] [train options]',
  options: [...COMPARE_ONLY, ...TRAIN_OPTIONS.filter((o) => !['method', 'seed', 'resume'].includes(o.name)).map((o) => (o.name === 'out' ? { ...o, default: 'runs/compare' } : o))],
};

const stat = (values: number[]): Stat => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std, values };
};

const axes = (ms: VaMetrics[]): Axes => {
  const set = (axis: 'valence' | 'arousal'): MetricSet => ({
    rmse: stat(ms.map((m) => m[axis].rmse)),
    sagr: stat(ms.map((m) => m[axis].sagr)),
    pcc: stat(ms.map((m) => m[axis].pcc)),
    ccc: stat(ms.map((m) => m[axis].ccc)),
  });
  return { valence: set('valence'), arousal: set('arousal') };
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const seeds = (parsed.options.seeds as string[]).map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) return usageError(`elim compare: --seeds must be integers, got ${(parsed.options.seeds as string[]).join(',')}`);
  const base = runSpecFrom({ ...parsed.options, method: 'elim', seed: seeds[0], resume: false });
  if (E.isLeft(base)) return usageError(`elim compare: ${base.left.message}`);
  const out = base.right.out;
  const events = createEventSink({ logFile: path.join(out, 'events.jsonl') });
  let backend;
  try {
    backend = await installBackend(base.right.backend, events);
  } catch (err) {
    return failure((err as Error).message);
  }
  const control = { stop: false };
  const onSigint = () => {
    if (control.stop) process.exit(130);
    control.stop = true;
  };
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  const results: Record<'elim' | 'baseline', RunOutputs[]> = { elim: [], baseline: [] };
  try {
    for (const seed of seeds) {
      const dataSpec = dataSpecFrom(parsed.options, base.right.settings.model.inputSize, seed);
      const data = await loadRunData(dataSpec);
      if (E.isLeft(data)) return failure(`data: ${formatDataError(data.left)}`);
      for (const method of ['baseline', 'elim'] as const) {
        const rs = runSpecFrom({ ...parsed.options, method, seed, resume: false, out: path.join(out, `seed-${seed}`, method) });
        if (E.isLeft(rs)) return usageError(rs.left.message);
        const runEvents = createEventSink({ logFile: path.join(rs.right.out, 'events.jsonl') });
        const r = await executeRun({
          spec: rs.right as RunSpec,
          data: dataSpec,
          preloaded: data.right,
          backend,
          events: runEvents,
          control,
          clipNorm: clipNormOf(parsed.options),
          resolved: { ...parsed.options, method, seed },
          keepLatents: true,
          label: `seed ${seed} ${method}`,
        });
        if (E.isLeft(r)) return failure(`seed ${seed} ${method}: ${r.left.stage}: ${r.left.message}`);
        results[method].push(r.right);
        events.emit({ event: 'compare-run', seed, method, heldOut: r.right.heldOut.overall, train: r.right.train.overall, seconds: r.right.result.seconds });
        if (control.stop) return failure('stopped by the user; the finished runs are in ' + out);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  const result: CompareResult = {
    seeds,
    heldOut: { elim: axes(results.elim.map((r) => r.heldOut.overall)), baseline: axes(results.baseline.map((r) => r.heldOut.overall)) },
    train: { elim: axes(results.elim.map((r) => r.train.overall)), baseline: axes(results.baseline.map((r) => r.train.overall)) },
  };
  const seconds = (performance.now() - t0) / 1000;
  const table = formatCompareTable(result, { title: `ELIM vs baseline — ${seeds.length} paired seeds, ${base.right.settings.steps} iterations each (${results.elim[0].data.description})` });
  await writeJsonAtomic(path.join(out, 'compare.json'), { ...result, steps: base.right.settings.steps, seconds, backend: { name: backend.name, kernelClass: backend.kernelClass } });
  await writeFileAtomic(path.join(out, 'compare.txt'), table + '\n');
  const plots = [];
  if (base.right.plots) {
    const [e, b] = [results.elim[0], results.baseline[0]];
    const latent = base.right.settings.model.latent;
    const n = Math.min(e.data.heldOut.count, 600);
    const valence = Array.from({ length: n }, (_, i) => e.data.heldOut.labels[2 * i]);
    const panel = (title: string, r: RunOutputs) => ({ title, points: pairs2(tsne(r.heldOut.latents!.subarray(0, n * latent), n, latent, { seed: 7, iterations: 500 })), values: valence });
    await writeFileAtomic(path.join(out, 'tsne-elim-vs-baseline.png'), await plotTsneSideBySide([panel('ELIM', e), panel('baseline', b)], { title: `Held-out latents (t-SNE, seed ${seeds[0]}), coloured by valence` }));
    plots.push({ title: 't-SNE of held-out latents, ELIM and baseline', file: 'tsne-elim-vs-baseline.png' });
  }
  await writeFileAtomic(
    path.join(out, 'compare.md'),
    markdownSummary({
      title: 'elim compare',
      config: { seeds: seeds.join(','), backend: `${backend.name} (${backend.kernelClass})`, ...base.right.settings, elim: base.right.elim },
      compare: result,
      plots,
      notes: [`wall time ${seconds.toFixed(0)} s`, `runs: ${seeds.map((s) => `seed-${s}/{baseline,elim}`).join(', ')}`],
    }),
  );
  process.stdout.write(table + '\n');
  process.stderr.write(`\ncompare: ${seeds.length} seeds x 2 methods in ${seconds.toFixed(0)} s; results in ${out}\n`);
  return 0;
};
