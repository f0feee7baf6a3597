/**
 * `elim eval`: metrics (RMSE, SAGR, PCC, CCC per axis) of a checkpoint on a dataset split,
 * overall and per identity. The data defaults to what the run was trained on (read from the
 * config.json beside the checkpoint): for the synthetic benchmark, the same seed's held-out
 * identities.
 */
import * as E from 'fp-ts/lib/Either.js';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { camel, type CommandSpec, type ParsedOptions } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { DATA_OPTIONS, dataSpecFrom, dataSpecOver } from '../data-options.js';
import { fmtMetrics } from '../format.js';
import { writeJsonAtomic } from '../../io/atomic.js';
import { outputFileProblem } from '../../io/output-target.js';
import { formatDataError } from '../../data/data-error.js';
import { evaluateSet } from '../../train/evaluate.js';
import { loadRunData, type DataSpec, type Split } from '../../train/load-data.js';
import { openCheckpoint } from '../open-checkpoint.js';
import { LIMITS } from '../../limits.js';

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
    { name: 'seed', kind: 'int', min: LIMITS.seed.min, max: LIMITS.seed.max, help: "data seed (synthetic draw / identity split); default: the run's" },
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
  if (typeof o.out === 'string') {
    const target = outputFileProblem(o.out, [o.checkpoint as string, ...(typeof o.dataPath === 'string' ? [o.dataPath] : [])]);
    if (target) return usageError(`elim eval: ${target}`);
  }
  const trained = trainedDataSpec(o.checkpoint as string);
  const seed = (o.seed as number | undefined) ?? trained?.seed ?? m.seed;
  // only the data options actually given override what the run was trained on
  const given: ParsedOptions = Object.fromEntries(
    DATA_OPTIONS.map((d) => camel(d.name))
      .filter((k) => o[k] !== undefined)
      .map((k) => [k, o[k]]),
  );
  const defaults: ParsedOptions = Object.fromEntries(DATA_OPTIONS.filter((d) => d.default !== undefined).map((d) => [camel(d.name), d.default!]));
  if (!trained && given.data === undefined)
    return usageError(
      `elim eval: no readable config.json beside ${String(o.checkpoint)} to say what the run was trained on: name the data with --data (and --data-path)`,
    );
  const dataSpec = trained ? dataSpecOver(trained, given, m.model.spec.inputSize, seed) : dataSpecFrom({ ...defaults, ...given }, m.model.spec.inputSize, seed);
  if (E.isLeft(dataSpec)) return usageError(`elim eval: ${dataSpec.left.message}`);
  const need: Split[] = o.split === 'train' ? ['train'] : o.split === 'all' ? ['train', 'held-out'] : ['held-out'];
  const data = await loadRunData(dataSpec.right, need);
  if (E.isLeft(data)) return failure(formatDataError(data.left));
  const sets =
    o.split === 'train'
      ? [['train', data.right.train] as const]
      : o.split === 'all'
        ? [['train', data.right.train] as const, ['held-out', data.right.heldOut] as const]
        : [['held-out', data.right.heldOut] as const];
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
