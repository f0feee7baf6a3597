/**
 * `elim compare`: ELIM vs the baseline over paired seeds. For each seed both methods see the
 * same data draw (held-out identities drawn per seed), the same initialisation and the same
 * batches; they differ only in the objective. Prints a table of mean ± std over seeds and the
 * paired differences, on held-out and on training identities, and writes compare.json
 * (CompareResult), compare.md, a side-by-side t-SNE and each run's folder.
 *
 * Several ELIM configurations against one baseline per seed (issue #9): `--variants FILE`
 * (JSON or YAML, `{ name: { option: value, ... }, ... }`, each a set of train options over the
 * command's own) trains every variant on the seed's data, initialisation and batches next to
 * one baseline run. `--average-last N` reports held-out metrics as the mean over the last N
 * validations (all runs share the validation steps; training identities: the final step).
 * compare.json then also holds `variants` (each variant's metrics) and `differences` (per
 * variant, split, axis and metric: the paired differences variant - baseline per seed, with
 * their mean, std, standard error and t = mean / se); `elim` is the first variant. `--reuse`
 * takes a finished run folder whose config matches instead of training it again.
 *
 * Issue #15: a variant may name its `method` (elim, the default; baseline; adversarial), and a
 * variant named `baseline` sets the options of the paired baseline itself (e.g. its best
 * regularisation), so every difference is taken against that baseline. Every run is also
 * evaluated with test-time identity matching (train/identity-matching.ts): compare.json keeps
 * it per variant as `heldOutMatched` and the variant table adds a `name+ttm` row (held-out
 * identities, the final step) whose difference is taken against the baseline WITHOUT matching.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import { checkSeedList, formatProblem } from '../../limits.js';
import { installStopSignals, type StopControl } from '../stop-control.js';
import { acquireRunLock } from '../../io/run-lock.js';
import type { CommandSpec, OptionSpec, ParsedOptions } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { installBackend } from '../backend-choice.js';
import { dataSpecFrom } from '../data-options.js';
import { parseSeeds } from '../seeds.js';
import { createEventSink } from '../events.js';
import { TRAIN_OPTIONS } from '../train-options.js';
import { clipNormOf, runSpecFrom } from '../run-spec-from.js';
import type { RunSpec } from '../../train/run-spec.js';
import { executeRun, pairs2, type RunOutputs } from '../../train/run.js';
import { loadRunData } from '../../train/load-data.js';
import { formatDataError } from '../../data/data-error.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import { formatCompareTable, markdownSummary, plotTsneSideBySide, tsne } from '../../report/index.js';
import { reusable, type RunRecord } from '../compare/reuse.js';
import { summarize } from '../compare/results.js';
import { seedsLabel, variantTable } from '../compare/variant-table.js';
import { planVariants, type RunMethod } from '../compare/variants.js';

const COMPARE_ONLY: OptionSpec[] = [
  {
    name: 'seeds',
    kind: 'list',
    default: ['0', '1', '2'],
    help: 'paired seeds: a count (20 = seeds 0..19), a list (0,1,2) or a range (5..9); each seed has its own data draw, initialisation and batches, shared by all methods',
    group: 'run',
  },
  {
    name: 'variants',
    kind: 'string',
    help: 'JSON/YAML file { name: { option: value } }: several ELIM configurations, each against the same baseline per seed',
    group: 'run',
  },
  { name: 'average-last', kind: 'int', min: 1, default: 1, help: 'held-out metrics: mean over the last N validations (same steps in every run)', group: 'run' },
  { name: 'reuse', kind: 'boolean', default: false, help: 'reuse a finished run folder whose method, ELIM config, settings and data match', group: 'run' },
];

export const spec: CommandSpec = {
  name: 'compare',
  summary: 'ELIM vs baseline over several paired seeds on held-out identities (the main job)',
  usage: 'elim compare [--seeds 20 | --seeds 0,1,2 | --seeds 0..19] [--steps N] [--out DIR] [train options]',
  options: [
    ...COMPARE_ONLY,
    ...TRAIN_OPTIONS.filter((o) => !['method', 'seed', 'resume'].includes(o.name)).map((o) => (o.name === 'out' ? { ...o, default: 'runs/compare' } : o)),
  ],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const parsedSeeds = parseSeeds(parsed.options.seeds as string[]);
  if (E.isLeft(parsedSeeds)) return usageError(`elim compare: ${parsedSeeds.left}`);
  const checked = checkSeedList(parsedSeeds.right.map(String));
  if (E.isLeft(checked)) return usageError(`elim compare: --${formatProblem(checked.left)}`);
  const seeds = checked.right;
  const base = runSpecFrom({ ...parsed.options, method: 'elim', seed: seeds[0], resume: false });
  if (E.isLeft(base)) return usageError(`elim compare: ${base.left.message}`);
  const out = base.right.out;
  const lock = acquireRunLock(out);
  if (E.isLeft(lock)) return usageError(`elim compare: ${lock.left}`);
  const events = createEventSink({ logFile: path.join(out, 'events.jsonl') });
  let backend;
  try {
    backend = await installBackend(base.right.backend, events);
  } catch (err) {
    return failure((err as Error).message);
  }
  const control: StopControl = { stop: false };
  const uninstallSignals = installStopSignals(control);
  const plan = await planVariants(spec, parsed.options, seeds[0]);
  if (E.isLeft(plan)) return usageError(`elim compare: ${plan.left}`);
  const { variants, baselineOptions, baselineOverrides } = plan.right;
  const averageN = parsed.options.averageLast as number;
  const reuse = parsed.options.reuse as boolean;
  const t0 = performance.now();
  const records: Record<string, RunRecord[]> = Object.fromEntries([['baseline', []], ...variants.map((v) => [v.name, []])]);
  try {
    for (const seed of seeds) {
      const checkedData = dataSpecFrom(parsed.options, base.right.settings.model.inputSize, seed);
      if (E.isLeft(checkedData)) return usageError(`elim compare: ${checkedData.left.message}`);
      const dataSpec = checkedData.right;
      let data: Awaited<ReturnType<typeof loadRunData>> | null = null;
      const jobs: Array<{ name: string; method: RunMethod; options: ParsedOptions }> = [
        { name: 'baseline', method: 'baseline', options: baselineOptions },
        ...variants.map((v) => ({ name: v.name, method: v.method, options: v.options })),
      ];
      for (const job of jobs) {
        const rs = runSpecFrom({ ...job.options, method: job.method, seed, resume: false, out: path.join(out, `seed-${seed}`, job.name) });
        if (E.isLeft(rs)) return usageError(rs.left.message);
        const old = reuse ? await reusable(rs.right, dataSpec) : null;
        let rec: RunRecord;
        if (old) rec = old;
        else {
          data ??= await loadRunData(dataSpec);
          if (E.isLeft(data)) return failure(`data: ${formatDataError(data.left)}`);
          const runEvents = createEventSink({ logFile: path.join(rs.right.out, 'events.jsonl') });
          const r = await executeRun({
            spec: rs.right as RunSpec,
            data: dataSpec,
            preloaded: data.right,
            backend,
            events: runEvents,
            control,
            clipNorm: clipNormOf(job.options),
            resolved: { ...job.options, method: job.method, seed, variant: job.name },
            keepLatents: true,
            label: `seed ${seed} ${job.name}`,
          });
          if (E.isLeft(r)) return failure(`seed ${seed} ${job.name}: ${r.left.stage}: ${r.left.message}`);
          rec = {
            heldOut: r.right.heldOut.overall,
            train: r.right.train.overall,
            validations: r.right.result.validations,
            seconds: r.right.result.seconds,
            reused: false,
            outputs: r.right,
            heldOutMatched: r.right.heldOutMatched,
          };
        }
        records[job.name].push(rec);
        events.emit({
          event: 'compare-run',
          seed,
          method: job.method,
          variant: job.name,
          reused: rec.reused,
          heldOut: rec.heldOut,
          heldOutMatched: rec.heldOutMatched,
          train: rec.train,
          seconds: rec.seconds,
        });
        if (control.stop) return failure('stopped by the user; the finished runs are in ' + out);
      }
    }
  } finally {
    uninstallSignals();
    lock.right.release();
  }
  const { result, variantResults, differences, baselineMatched } = summarize(records, variants, seeds, averageN);
  const first = variants[0].name;
  const results = { elim: records[first].map((r) => r.outputs), baseline: records.baseline.map((r) => r.outputs) };
  const description = results.elim[0]?.data.description ?? results.baseline[0]?.data.description ?? 'reused runs';
  const seconds = (performance.now() - t0) / 1000;
  const table =
    formatCompareTable(result, {
      title: `ELIM${variants.length > 1 || first !== 'elim' ? ` (${first})` : ''} vs baseline — n = ${seeds.length} paired seeds (${seedsLabel(seeds)}), ${base.right.settings.steps} iterations each (${description})`,
    }) +
    (variants.length > 1 || averageN > 1 || typeof parsed.options.variants === 'string'
      ? '\n\n' + variantTable(variantResults, differences, result, averageN, baselineMatched)
      : '');
  await writeJsonAtomic(path.join(out, 'compare.json'), {
    ...result,
    steps: base.right.settings.steps,
    averageLast: averageN,
    variants: variantResults,
    differences,
    baselineOptions: baselineOverrides,
    baselineMatched,
    seconds,
    backend: { name: backend.name, kernelClass: backend.kernelClass },
  });
  await writeFileAtomic(path.join(out, 'compare.txt'), table + '\n');
  const plots = [];
  if (base.right.plots && results.elim[0] && results.baseline[0]) {
    const [e, b] = [results.elim[0], results.baseline[0]];
    const latent = base.right.settings.model.latent;
    const n = Math.min(e.data.heldOut.count, 600);
    const valence = Array.from({ length: n }, (_, i) => e.data.heldOut.labels[2 * i]);
    const panel = (title: string, r: RunOutputs) => ({
      title,
      points: pairs2(tsne(r.heldOut.latents!.subarray(0, n * latent), n, latent, { seed: 7, iterations: 500 })),
      values: valence,
    });
    await writeFileAtomic(
      path.join(out, 'tsne-elim-vs-baseline.png'),
      await plotTsneSideBySide([panel('ELIM', e), panel('baseline', b)], { title: `Held-out latents (t-SNE, seed ${seeds[0]}), coloured by valence` }),
    );
    plots.push({ title: 't-SNE of held-out latents, ELIM and baseline', file: 'tsne-elim-vs-baseline.png' });
  }
  await writeFileAtomic(
    path.join(out, 'compare.md'),
    markdownSummary({
      title: 'elim compare',
      config: { seeds: seeds.join(','), backend: `${backend.name} (${backend.kernelClass})`, ...base.right.settings, elim: base.right.elim },
      compare: result,
      plots,
      notes: [
        `wall time ${seconds.toFixed(0)} s`,
        `runs: ${seeds.map((s) => `seed-${s}/{${['baseline', ...variants.map((v) => v.name)].join(',')}}`).join(', ')}`,
      ],
    }),
  );
  process.stdout.write(table + '\n');
  process.stderr.write(`\ncompare: ${seeds.length} seeds x ${variants.length + 1} runs in ${seconds.toFixed(0)} s; results in ${out}\n`);
  return 0;
};
