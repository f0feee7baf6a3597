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
import { checkSeedList, formatProblem } from '../../limits.js';
import { installStopSignals, type StopControl } from '../stop-control.js';
import { acquireRunLock } from '../../io/run-lock.js';
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { camel, resolveOptions, type ParsedOptions } from '../args.js';
import { loadConfigFile } from '../config-file.js';
import type { CommandSpec, OptionSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { installBackend } from '../backend-choice.js';
import { dataSpecFrom } from '../data-options.js';
import { parseSeeds } from '../seeds.js';
import { createEventSink } from '../events.js';
import { clipNormOf, runSpecFrom, TRAIN_OPTIONS, type RunSpec } from '../train-options.js';
import { executeRun, pairs2, type RunOutputs } from '../../train/run.js';
import { loadRunData } from '../../train/load-data.js';
import { formatDataError } from '../../data/data-error.js';
import { writeFileAtomic, writeJsonAtomic } from '../../io/atomic.js';
import {
  formatCompareTable,
  markdownSummary,
  pairedDifferences,
  significant,
  plotTsneSideBySide,
  tsne,
  type Axes,
  type CompareResult,
  type MetricSet,
  type Stat,
} from '../../report/index.js';
import type { VaMetrics } from '../../train/evaluate.js';
import type { DataSpec } from '../../train/load-data.js';
import { makeConfig } from '../../config.js';

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

/** What compare keeps of one run (from a fresh run, or from a reused run folder's metrics.json). */
interface RunRecord {
  readonly heldOut: VaMetrics;
  readonly train: VaMetrics;
  readonly validations: ReadonlyArray<{ readonly step: number; readonly metrics: VaMetrics }>;
  readonly seconds: number;
  readonly reused: boolean;
  readonly outputs?: RunOutputs;
  /** Held-out metrics after test-time identity matching (final step). */
  readonly heldOutMatched?: VaMetrics;
}

export interface PairedStat {
  readonly mean: number;
  readonly std: number;
  /** Standard error of the mean paired difference: std / sqrt(n) (0 for one seed). */
  readonly se: number;
  /** mean / se (0 when se is 0). */
  readonly t: number;
  /** |mean| > 2 se with at least 2 seeds (the table's win rule). */
  readonly significant: boolean;
  readonly values: number[];
}

/** Paired differences a_i - b_i over seeds (the report's one helper), in compare.json's field names. */
export const pairedStat = (a: readonly number[], b: readonly number[]): PairedStat => {
  const d = pairedDifferences(a, b);
  const se = d.values.length > 1 ? d.stderr : 0;
  return {
    mean: d.mean,
    std: d.std,
    se,
    t: se > 0 ? d.mean / se : 0,
    significant: significant({ mean: d.mean, stderr: se, n: d.values.length }),
    values: d.values,
  };
};

/** Mean over the last n validations of each metric (n = 1: the final validation). */
export const averageLast = (validations: ReadonlyArray<{ readonly metrics: VaMetrics }>, n: number, fallback: VaMetrics): VaMetrics => {
  const last = validations.slice(-n);
  if (last.length === 0) return fallback;
  const avg = (axis: 'valence' | 'arousal', m: 'rmse' | 'sagr' | 'pcc' | 'ccc') => last.reduce((a, v) => a + v.metrics[axis][m], 0) / last.length;
  const axisOf = (axis: 'valence' | 'arousal') => ({ rmse: avg(axis, 'rmse'), sagr: avg(axis, 'sagr'), pcc: avg(axis, 'pcc'), ccc: avg(axis, 'ccc') });
  return { valence: axisOf('valence'), arousal: axisOf('arousal') } as VaMetrics;
};

const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v as object)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

/** A finished run folder with the same method, ELIM config, settings and data, or null. */
const reusable = async (rs: RunSpec, data: DataSpec): Promise<RunRecord | null> => {
  try {
    const config = JSON.parse(await fs.readFile(path.join(rs.out, 'config.json'), 'utf8'));
    const metrics = JSON.parse(await fs.readFile(path.join(rs.out, 'metrics.json'), 'utf8'));
    const { description: _d, trainImages: _t, heldOutImages: _h, ...storedData } = config.data ?? {};
    // fields added to ElimConfig after a run was written take their defaults (which keep the old behaviour)
    const same =
      canonical({ m: config.method, e: makeConfig(config.elim ?? {}), s: config.settings, d: storedData }) ===
      canonical({ m: rs.method, e: rs.elim, s: rs.settings, d: data });
    if (!same || metrics.stopped || metrics.steps !== rs.settings.steps) return null;
    return {
      heldOut: metrics.heldOut.overall,
      train: metrics.train.overall,
      validations: metrics.validations ?? [],
      seconds: metrics.timings?.trainSeconds ?? 0,
      reused: true,
      heldOutMatched: metrics.heldOutMatched?.overall,
    };
  } catch {
    return null;
  }
};

/** Each variant's options: the command's options with the variant's overrides (flag or camelCase names), checked like a config file. */
const variantOptions = (base: ParsedOptions, name: string, overrides: Record<string, unknown>): E.Either<string, ParsedOptions> => {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return E.left(`variant '${name}' must be an object of options`);
  const bad = Object.keys(overrides).find((k) => ['seed', 'seeds', 'resume', 'out', 'variants', 'config'].includes(camel(k)));
  if (bad) return E.left(`variant '${name}': option '${bad}' cannot vary between variants`);
  const { method: _m, ...rest } = overrides; // the method is read by methodOf
  const r = resolveOptions(spec, { options: {}, explicit: new Set(), positionals: [], help: false }, rest, `variant '${name}'`);
  if (E.isLeft(r)) return E.left(r.left.message);
  const picked = Object.fromEntries(Object.keys(rest).map((k) => [camel(k), r.right[camel(k)]]));
  return E.right({ ...base, ...picked });
};

type RunMethod = 'elim' | 'baseline' | 'adversarial';
/** A variant's method: elim unless it names baseline or adversarial; the variant 'baseline' is always the baseline. */
const methodOf = (name: string, overrides: Record<string, unknown>): E.Either<string, RunMethod> => {
  const m = overrides.method ?? (name === 'baseline' ? 'baseline' : 'elim');
  if (m !== 'elim' && m !== 'baseline' && m !== 'adversarial')
    return E.left(`variant '${name}': method must be elim, baseline or adversarial, got ${JSON.stringify(m)}`);
  if (name === 'baseline' && m !== 'baseline') return E.left("the variant 'baseline' sets the paired baseline's options; its method is baseline");
  return E.right(m);
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
  let variants: Array<{ name: string; overrides: Record<string, unknown>; options: ParsedOptions; method: RunMethod }> = [
    { name: 'elim', overrides: {}, options: parsed.options, method: 'elim' },
  ];
  let baselineOptions: ParsedOptions = parsed.options;
  let baselineOverrides: Record<string, unknown> = {};
  if (typeof parsed.options.variants === 'string') {
    const loaded = await loadConfigFile(parsed.options.variants);
    if (E.isLeft(loaded)) return usageError(`elim compare: ${loaded.left.message}`);
    const names = Object.keys(loaded.right);
    variants = [];
    for (const name of names) {
      if (!/^[A-Za-z0-9._-]+$/.test(name) || name.endsWith('+ttm')) return usageError(`elim compare: variant name '${name}' must be [A-Za-z0-9._-]+`);
      const overrides = loaded.right[name] as Record<string, unknown>;
      const o = variantOptions(parsed.options, name, overrides);
      if (E.isLeft(o)) return usageError(`elim compare: ${o.left}`);
      const method = methodOf(name, overrides ?? {});
      if (E.isLeft(method)) return usageError(`elim compare: ${method.left}`);
      const check = runSpecFrom({ ...o.right, method: method.right, seed: seeds[0], resume: false });
      if (E.isLeft(check)) return usageError(`elim compare: variant '${name}': ${check.left.message}`);
      if (name === 'baseline') {
        baselineOptions = o.right;
        baselineOverrides = overrides;
      } else variants.push({ name, overrides, options: o.right, method: method.right });
    }
    if (variants.length === 0) return usageError('elim compare: --variants names no variant besides the baseline');
  }
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
  const heldOf = (r: RunRecord) => averageLast(r.validations, averageN, r.heldOut);
  const first = variants[0].name;
  const result: CompareResult = {
    seeds,
    heldOut: { elim: axes(records[first].map(heldOf)), baseline: axes(records.baseline.map(heldOf)) },
    train: { elim: axes(records[first].map((r) => r.train)), baseline: axes(records.baseline.map((r) => r.train)) },
  };
  const METRIC_NAMES = ['rmse', 'sagr', 'pcc', 'ccc'] as const;
  // test-time identity matching: present when every run of the variant has it (runs written before it existed lack it)
  const hasMatched = (name: string) => records[name].every((r) => r.heldOutMatched);
  const matchedOf = (name: string) => (hasMatched(name) ? { heldOutMatched: axes(records[name].map((r) => r.heldOutMatched!)) } : {});
  const matchedDiffOf = (name: string) => {
    if (!hasMatched(name)) return {};
    // against the baseline WITHOUT matching: what matching (and the variant) add over the reference
    const axis = (a: 'valence' | 'arousal') =>
      Object.fromEntries(
        METRIC_NAMES.map((m) => [
          m,
          pairedStat(
            records[name].map((r) => r.heldOutMatched![a][m]),
            records.baseline.map((r) => heldOf(r)[a][m]),
          ),
        ]),
      );
    return { heldOutMatched: { valence: axis('valence'), arousal: axis('arousal') } };
  };
  const diffOf = (name: string, split: 'heldOut' | 'train') => {
    const pick = (r: RunRecord) => (split === 'heldOut' ? heldOf(r) : r.train);
    const axis = (a: 'valence' | 'arousal') =>
      Object.fromEntries(
        METRIC_NAMES.map((m) => [
          m,
          pairedStat(
            records[name].map((r) => pick(r)[a][m]),
            records.baseline.map((r) => pick(r)[a][m]),
          ),
        ]),
      );
    return { valence: axis('valence'), arousal: axis('arousal') };
  };
  const variantResults = Object.fromEntries(
    variants.map((v) => [
      v.name,
      {
        options: v.overrides,
        method: v.method,
        heldOut: axes(records[v.name].map(heldOf)),
        train: axes(records[v.name].map((r) => r.train)),
        ...matchedOf(v.name),
      },
    ]),
  );
  const differences = Object.fromEntries(
    variants.map((v) => [v.name, { heldOut: diffOf(v.name, 'heldOut'), train: diffOf(v.name, 'train'), ...matchedDiffOf(v.name) }]),
  );
  const baselineMatched = hasMatched('baseline')
    ? { heldOutMatched: axes(records.baseline.map((r) => r.heldOutMatched!)), heldOutMatchedDiff: matchedDiffOf('baseline').heldOutMatched }
    : {};
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

/** 0..19 for a run of consecutive seeds, else the list. */
const seedsLabel = (s: readonly number[]) => (s.length > 2 && s.every((x, i) => i === 0 || x === s[i - 1] + 1) ? `${s[0]}..${s[s.length - 1]}` : s.join(', '));

const f3 = (x: number) => (x >= 0 ? ' ' : '') + x.toFixed(3);
type AxisDiffs = Record<'valence' | 'arousal', Record<string, PairedStat>>;
type Diffs = Record<string, Record<'heldOut' | 'train', AxisDiffs> & { heldOutMatched?: AxisDiffs }>;
type Matched = { heldOutMatched?: Axes };

/** CCC of every variant and the baseline, with paired differences: mean ± std (t = mean / se); '*' where mean > 2 se. */
export const variantTable = (
  variants: Record<string, { heldOut: Axes; train: Axes } & Matched>,
  diffs: Diffs,
  result: CompareResult,
  averageN: number,
  baselineMatched: { heldOutMatched?: Axes; heldOutMatchedDiff?: AxisDiffs } = {},
): string => {
  const cell = (d: PairedStat) => `${f3(d.mean)} ± ${d.std.toFixed(3)} (t ${d.t.toFixed(1)})${d.significant ? '*' : ' '}`;
  const head = ['variant', 'held-out V', 'dV held-out', 'held-out A', 'dA held-out', 'train V', 'dV train', 'train A', 'dA train'];
  // name+ttm: the same runs with test-time identity matching (held-out only), against the baseline without it
  const ttmRow = (name: string, m: Axes, d: AxisDiffs) => [
    `${name}+ttm`,
    f3(m.valence.ccc.mean),
    cell(d.valence.ccc),
    f3(m.arousal.ccc.mean),
    cell(d.arousal.ccc),
    '',
    '',
    '',
    '',
  ];
  const { heldOutMatched: bm, heldOutMatchedDiff: bmDiff } = baselineMatched;
  const rows = [
    [
      'baseline',
      f3(result.heldOut.baseline.valence.ccc.mean),
      '',
      f3(result.heldOut.baseline.arousal.ccc.mean),
      '',
      f3(result.train.baseline.valence.ccc.mean),
      '',
      f3(result.train.baseline.arousal.ccc.mean),
      '',
    ],
    ...(bm && bmDiff ? [ttmRow('baseline', bm, bmDiff)] : []),
    ...Object.entries(variants).flatMap(([name, v]) => {
      const d = diffs[name];
      const row = [
        name,
        f3(v.heldOut.valence.ccc.mean),
        cell(d.heldOut.valence.ccc),
        f3(v.heldOut.arousal.ccc.mean),
        cell(d.heldOut.arousal.ccc),
        f3(v.train.valence.ccc.mean),
        cell(d.train.valence.ccc),
        f3(v.train.arousal.ccc.mean),
        cell(d.train.arousal.ccc),
      ];
      return v.heldOutMatched && d.heldOutMatched ? [row, ttmRow(name, v.heldOutMatched, d.heldOutMatched)] : [row];
    }),
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [
    `CCC per variant (held-out: mean of the last ${averageN} validation(s); train: final step; +ttm: the same runs with test-time identity matching, held-out at the final step); d = paired difference variant - baseline (without matching) over ${result.seeds.length} seeds, mean ± std (t = mean/se), * = |mean| > 2 se (significant, either sign)`,
    line(head),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...rows.map(line),
  ].join('\n');
};
