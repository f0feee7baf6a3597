/**
 * `elim eval`: metrics (RMSE, SAGR, PCC, CCC per axis) of a checkpoint on a dataset split,
 * overall and per identity. The data defaults to what the run was trained on (read from the
 * config.json beside the checkpoint): for the synthetic benchmark, the same seed's held-out
 * identities.
 */
import * as E from 'fp-ts/lib/Either.js';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CommandSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { dataSpecFrom } from '../data-options.js';
import { DATA_OPTIONS } from '../train-options.js';
import { fmtMetrics } from '../format.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import { formatDataError } from '../../data/data-error.js';
import { evaluateSet } from '../../train/evaluate.js';
import { loadRunData, type DataSpec } from '../../train/load-data.js';
import { openCheckpoint } from '../open-checkpoint.js';

export const spec: CommandSpec = {
  name: 'eval',
  summary: 'metrics of a checkpoint on a dataset split, overall and per identity',
  usage: 'elim eval --checkpoint RUN/checkpoint.safetensors [--split held-out|train|all] [--out metrics.json] [data options]',
  options: [
    { name: 'config', kind: 'string', help: 'JSON or YAML file of options' },
    { name: 'checkpoint', kind: 'string', help: 'checkpoint written by elim train (required)' },
    { name: 'split', kind: 'enum', choices: ['held-out', 'train', 'all'], default: 'held-out', help: 'which identities to evaluate' },
    { name: 'out', kind: 'string', help: 'also write the metrics as JSON here' },
    { name: 'backend', kind: 'enum', choices: ['auto', 'cpu', 'gpujs'], default: 'auto', help: 'compute backend' },
    { name: 'seed', kind: 'int', help: "data seed (synthetic draw / identity split); default: the run's" },
    ...DATA_OPTIONS.map((o) => ({ ...o, default: undefined, help: `${o.help} (default: as trained)` })),
  ],
};

/** The data spec the run was trained with, from config.json beside the checkpoint. */
const trainedDataSpec = (checkpoint: string): DataSpec | undefined => {
  const file = path.join(path.dirname(checkpoint), 'config.json');
  if (!existsSync(file)) return undefined;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { data: DataSpec }).data;
  } catch {
    return undefined;
  }
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const opened = await openCheckpoint('eval', o);
  if (E.isLeft(opened)) {
    process.stderr.write(opened.left.message + '\n');
    return opened.left.code;
  }
  const { backend, model: m } = opened.right;
  const trained = trainedDataSpec(o.checkpoint as string);
  const defaults: Record<string, unknown> = Object.fromEntries(DATA_OPTIONS.map((d) => [d.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), d.default]));
  const merged = { ...defaults, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
  const seed = (o.seed as number | undefined) ?? trained?.seed ?? m.seed;
  const given = DATA_OPTIONS.some((d) => o[d.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] !== undefined);
  const dataSpec: DataSpec = trained && !given ? { ...trained, seed, size: m.model.spec.inputSize } : dataSpecFrom(merged as typeof o, m.model.spec.inputSize, seed);
  if (dataSpec.source !== 'synthetic' && !dataSpec.path) return usageError(`elim eval: --data ${dataSpec.source} needs --data-path`);
  const data = await loadRunData(dataSpec);
  if (E.isLeft(data)) return failure(formatDataError(data.left));
  const sets = o.split === 'train' ? [['train', data.right.train] as const] : o.split === 'all' ? [['train', data.right.train] as const, ['held-out', data.right.heldOut] as const] : [['held-out', data.right.heldOut] as const];
  const report: Record<string, unknown> = { checkpoint: o.checkpoint, step: m.step, method: m.method, data: data.right.description };
  for (const [name, set] of sets) {
    const ev = evaluateSet(m, set, backend);
    report[name] = { overall: ev.overall, perIdentity: ev.perIdentity };
    process.stdout.write(`${name} identities (${set.count} images): ${fmtMetrics(ev.overall)}\n`);
    for (const r of ev.perIdentity) process.stdout.write(`  ${r.identity.padEnd(16)} n=${String(r.n).padEnd(4)} ${fmtMetrics(r)}\n`);
  }
  if (typeof o.out === 'string') await writeJsonAtomic(o.out, report);
  return 0;
};
