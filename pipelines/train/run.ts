/**
 * One complete run: data -> train -> evaluate on training and held-out identities -> the run
 * folder: config.json (resolved options, seed, versions, backend and kernel class, timings),
 * events.jsonl (written by the caller's sink), checkpoint.safetensors, metrics.json,
 * predictions-held-out.csv, summary.md and PNG plots. Every file is written atomically.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import type { Backend } from '../../lib/backend/backend.js';
import { disposeTree } from '../../lib/nn/tree.js';
import type { EventSink } from './events.js';
import { versions } from '../io/versions.js';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.js';
import {
  markdownSummary,
  plotLossCurves,
  plotPerIdentityErrors,
  plotTsneSideBySide,
  plotVaScatter,
  tsne,
  type FinalMetrics,
  type PlotLink,
} from '../report/index.js';
import type { RunSpec } from './run-spec.js';
import { phasesFor } from './elim-objective.js';
import { formatElimError } from '../errors.js';
import { evaluateSet, type Evaluation, type VaMetrics } from './evaluate.js';
import { subsetByIdentity, type ImageSet } from './image-set.js';
import { Rng } from '../../lib/rng/rng.js';
import { anchorLatents, matchedPredictions } from './identity-matching.js';
import { vaMetrics } from './evaluate.js';
import { loadRunData, type DataSpec, type RunData } from './load-data.js';
import { train, type TrainResult } from './trainer.js';
import { dataFailed, reportFailed, trainFailed, type RunError } from './errors.js';
import { readCheckpointHeader, resumeProblem } from './resume-check.js';

export interface RunOutputs {
  readonly dir: string;
  readonly result: Omit<TrainResult, 'params' | 'state'>;
  readonly train: Evaluation;
  readonly heldOut: Evaluation;
  /** Held-out metrics after test-time identity matching (identity-matching.ts); absent if it failed. */
  readonly heldOutMatched?: VaMetrics;
  readonly data: RunData;
}

/**
 * Early stopping's validation split: `fraction` of the TRAINING identities (at least one, at
 * least two left to train on), drawn by a stream of the run's seed. Held-out identities are
 * never involved.
 */
export const selectionSplit = (trainSet: ImageSet, fraction: number, seed: number): { train: ImageSet; selection: ImageSet } => {
  const ids = [...new Set(trainSet.identities)];
  const n = Math.min(ids.length - 2, Math.max(1, Math.round(ids.length * fraction)));
  if (n < 1) return { train: trainSet, selection: subsetByIdentity(trainSet, new Set()) };
  const picked = new Set(Rng.fromSeed(seed).fork().fork().fork().shuffle(ids).slice(0, n));
  return { train: subsetByIdentity(trainSet, new Set(ids.filter((i) => !picked.has(i)))), selection: subsetByIdentity(trainSet, picked) };
};

export type { RunError } from './errors.js';

export interface RunOptions {
  readonly spec: RunSpec;
  readonly data: DataSpec;
  readonly backend: Backend;
  readonly events: EventSink;
  /** Data already loaded (compare shares one draw between its paired methods). */
  readonly preloaded?: RunData;
  readonly control?: { stop: boolean };
  readonly clipNorm: number;
  /** The options as resolved (written to config.json). */
  readonly resolved: Readonly<Record<string, unknown>>;
  /** Latents of the held-out set are kept for a side-by-side t-SNE (compare). */
  readonly keepLatents?: boolean;
  readonly label?: string;
}

const final = (split: string, m: VaMetrics): FinalMetrics => ({ split, valence: { ...m.valence }, arousal: { ...m.arousal } });

const identityRows = (ev: Evaluation) =>
  ev.perIdentity.map((r) => ({ identity: r.identity, n: r.n, rmseV: r.valence.rmse, rmseA: r.arousal.rmse, cccV: r.valence.ccc, cccA: r.arousal.ccc }));

const pairs = (xs: Float32Array): [number, number][] => Array.from({ length: xs.length / 2 }, (_, i) => [xs[2 * i], xs[2 * i + 1]]);

export const executeRun = async (o: RunOptions): Promise<E.Either<RunError, RunOutputs>> => {
  const { spec, backend, events } = o;
  const dir = spec.out;
  const t0 = performance.now();
  const loaded = o.preloaded ? E.right(o.preloaded) : await loadRunData(o.data);
  if (E.isLeft(loaded)) return E.left(dataFailed(loaded.left));
  const d = loaded.right;
  const loadSeconds = (performance.now() - t0) / 1000;
  events.emit({ event: 'data', description: d.description, train: d.train.count, heldOut: d.heldOut.count, skipped: d.skipped });
  if (d.skipped && d.skipped.total > 0) events.warn(`${d.skipped.total} records skipped: ${JSON.stringify(d.skipped.byReason)}`);

  const checkpointPath = path.join(dir, 'checkpoint.safetensors');
  const metadata = { label: o.label ?? spec.method, config: JSON.stringify({ method: spec.method, elim: spec.elim, settings: spec.settings }) };
  if (spec.resume) {
    // refuse a foreign checkpoint before config.json is rewritten under it
    const header = await readCheckpointHeader(checkpointPath);
    if (E.isLeft(header)) return E.left(trainFailed({ _tag: 'ResumeRefused', path: checkpointPath, reason: header.left }));
    const refused = resumeProblem(header.right.step, header.right.user, {
      steps: spec.settings.steps,
      metadata: { ...metadata, seed: String(spec.settings.seed) },
    });
    if (refused) return E.left(trainFailed({ _tag: 'ResumeRefused', path: checkpointPath, reason: refused }));
  }
  const configJson = {
    command: o.label ?? 'train',
    options: o.resolved,
    method: spec.method,
    elim: spec.elim,
    settings: spec.settings,
    data: { ...o.data, description: d.description, trainImages: d.train.count, heldOutImages: d.heldOut.count },
    backend: { name: backend.name, kernelClass: backend.kernelClass },
    versions: versions(),
    startedAt: new Date().toISOString(),
  };
  await writeJsonAtomic(path.join(dir, 'config.json'), configJson);

  const split = spec.settings.earlyStop
    ? selectionSplit(d.train, spec.settings.earlyStop.fraction, spec.settings.seed)
    : { train: d.train, selection: undefined };
  const trainIds = [...new Set(split.train.keys)];
  const adversary = spec.settings.adversary ? { settings: spec.settings.adversary, identities: trainIds, steps: spec.settings.steps } : undefined;
  const plan = phasesFor(spec.method, spec.elim, spec.settings.model.latent, o.clipNorm, adversary);
  if (split.selection)
    events.emit({
      event: 'early-stopping-split',
      train: split.train.count,
      selection: split.selection.count,
      selectionIdentities: [...new Set(split.selection.identities)],
    });
  const trained = await train({
    settings: spec.settings,
    phases: plan.phases,
    extras: plan.extras,
    backend,
    train: split.train,
    selection: split.selection,
    validation: d.heldOut,
    events,
    checkpointPath,
    resume: spec.resume,
    control: o.control,
    // the adversary's class count comes from the data (the training identities), not from an option:
    // a key of its own, beside the config the resume check compares
    metadata: adversary ? { ...metadata, adversaryClasses: String(trainIds.length) } : metadata,
  });
  if (E.isLeft(trained)) return E.left(trainFailed(trained.left));
  const r = trained.right;
  const evTrain = evaluateSet(r, split.train, backend, { withLatents: true });
  const evHeld = evaluateSet(r, d.heldOut, backend, { withLatents: true });
  // test-time identity matching: every held-out identity's frames matched to training latents
  const anchor = anchorLatents(evTrain.latents!, split.train.identities, spec.settings.model.latent);
  const matched = matchedPredictions(r, evHeld.latents!, d.heldOut.identities, anchor, spec.elim.transport, backend);
  const heldOutMatched = E.isRight(matched) ? vaMetrics(d.heldOut.labels, matched.right) : undefined;
  if (E.isLeft(matched)) events.warn(`test-time identity matching failed: ${formatElimError(matched.left)}`);
  await writeJsonAtomic(path.join(dir, 'anchor-latents.json'), { dim: anchor.dim, rows: anchor.rows, data: Array.from(anchor.data) });
  disposeTree(r.params);
  disposeTree(r.state);
  const { params: _p, state: _s, ...result } = r;

  const metrics = {
    method: spec.method,
    seed: spec.settings.seed,
    steps: r.step,
    stopped: r.stopped,
    outcomes: r.outcomes,
    train: { overall: evTrain.overall, perIdentity: evTrain.perIdentity },
    heldOut: { overall: evHeld.overall, perIdentity: evHeld.perIdentity },
    ...(heldOutMatched ? { heldOutMatched: { overall: heldOutMatched } } : {}),
    ...(r.selected ? { earlyStopping: r.selected } : {}),
    validations: r.validations,
    timings: { loadSeconds, trainSeconds: r.seconds, imagesPerSecond: r.imagesPerSecond, totalSeconds: (performance.now() - t0) / 1000 },
  };
  await writeJsonAtomic(path.join(dir, 'metrics.json'), metrics);
  await writeFileAtomic(path.join(dir, 'predictions-held-out.csv'), predictionsCsv(d.heldOut, evHeld.predictions));

  const plots: PlotLink[] = [];
  if (spec.plots) {
    try {
      plots.push(...(await writeRunPlots(dir, r, d, evHeld, spec.method)));
    } catch (err) {
      return E.left(reportFailed('plots', (err as Error).message));
    }
  }
  await writeFileAtomic(
    path.join(dir, 'summary.md'),
    markdownSummary({
      title: `elim-ts run: ${spec.method}, seed ${spec.settings.seed}`,
      config: {
        method: spec.method,
        backend: `${backend.name} (${backend.kernelClass})`,
        data: d.description,
        ...spec.settings,
        elim: spec.method === 'elim' ? spec.elim : undefined,
      },
      final: [final('training identities', evTrain.overall), final('held-out identities', evHeld.overall)],
      perIdentity: identityRows(evHeld),
      plots,
      notes: [
        `${r.step} iterations in ${r.seconds.toFixed(1)} s (${r.imagesPerSecond.toFixed(1)} images/s)${r.stopped ? ' — stopped early' : ''}.`,
        `ELIM term outcomes: ${JSON.stringify(r.outcomes)}.`,
      ],
    }),
  );
  events.emit({ event: 'run-end', dir, heldOut: evHeld.overall, train: evTrain.overall, seconds: (performance.now() - t0) / 1000 });
  return E.right({ dir, result, train: evTrain, heldOut: evHeld, heldOutMatched, data: d });
};

const predictionsCsv = (set: ImageSet, preds: Float32Array): string =>
  ['source,identity,valence,arousal,pred_valence,pred_arousal']
    .concat(
      set.sources.map(
        (s, i) => `${csvField(s)},${csvField(set.identities[i])},${set.labels[2 * i]},${set.labels[2 * i + 1]},${preds[2 * i]},${preds[2 * i + 1]}`,
      ),
    )
    .join('\n') + '\n';

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote, or a line break of either kind. */
export const csvField = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

const writeRunPlots = async (dir: string, r: TrainResult, d: RunData, evHeld: Evaluation, method: string): Promise<PlotLink[]> => {
  const keys = [...new Set(r.history.flatMap((h) => Object.keys(h.terms)))].filter((k) => !/warmup$/.test(k));
  const series = keys.map((name) => ({
    name,
    points: r.history.filter((h) => Number.isFinite(h.terms[name])).map((h) => [h.step, h.terms[name]] as [number, number]),
  }));
  const files: Array<[string, string, Promise<Buffer>]> = [
    ['loss-curves.png', 'Loss per term', plotLossCurves(series, { title: `Training loss terms (${method})`, xLabel: 'iteration', yLabel: 'loss', logY: true })],
    [
      'va-scatter-held-out.png',
      'Predicted vs true VA, held-out identities',
      plotVaScatter(pairs(d.heldOut.labels), pairs(evHeld.predictions), { title: `Held-out identities (${method})` }),
    ],
    [
      'per-identity-held-out.png',
      'Per-identity errors, held-out identities',
      plotPerIdentityErrors(identityRows(evHeld), { title: `Per-identity error, held-out (${method})` }),
    ],
  ];
  if (evHeld.latents) {
    const n = Math.min(d.heldOut.count, 600);
    const emb = tsne(evHeld.latents.subarray(0, n * r.model.spec.latent), n, r.model.spec.latent, { seed: 7, iterations: 500 });
    files.push([
      'tsne-held-out.png',
      't-SNE of held-out latents, coloured by valence',
      plotTsneSideBySide([{ title: method, points: pairs2(emb), values: Array.from({ length: n }, (_, i) => d.heldOut.labels[2 * i]) }], {
        title: 'Latent features (t-SNE), coloured by valence',
      }),
    ]);
  }
  const links: PlotLink[] = [];
  for (const [file, title, png] of files) {
    await writeFileAtomic(path.join(dir, file), await png);
    links.push({ title, file });
  }
  return links;
};

export const pairs2 = (xs: Float64Array): [number, number][] => Array.from({ length: xs.length / 2 }, (_, i) => [xs[2 * i], xs[2 * i + 1]]);
