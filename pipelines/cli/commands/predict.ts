/**
 * `elim predict`: valence/arousal for images (folders, CSVs with a path column, globs) to a CSV.
 * Streams: inputs are listed lazily and decoded 64 at a time by the worker pool, rows are
 * appended to a temporary file renamed over the output at the end (no half-written CSV).
 */
import * as E from 'fp-ts/lib/Either.js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CommandSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { assertReplaceable, outputFileProblem } from '../../io/output-target.js';
import { imageInputs, InputError } from '../image-inputs.js';
import { loadBatches } from '../../data/batch-loader.js';
import { DecodePool } from '../../data/images/decode-pool.js';
import { formatDataError } from '../../data/data-error.js';
import type { FaceRecord } from '../../data/face-record.js';
import { openCheckpoint } from '../open-checkpoint.js';
import { predictImages } from '../../train/evaluate.js';
import { csvField } from '../../train/run.js';

export const spec: CommandSpec = {
  name: 'predict',
  summary: 'valence/arousal predictions for images (folder, CSV or glob) to a CSV',
  usage: "elim predict --checkpoint RUN/checkpoint.safetensors [--out predictions.csv] <folder | file.csv | 'glob/**/*.png' | image> ...",
  options: [
    { name: 'config', kind: 'string', help: 'JSON or YAML file of options' },
    { name: 'checkpoint', kind: 'string', help: 'checkpoint written by elim train (required)' },
    { name: 'out', kind: 'string', default: 'predictions.csv', help: 'output CSV (path,valence,arousal)' },
    { name: 'backend', kind: 'enum', choices: ['auto', 'cpu', 'gpujs'], default: 'auto', help: 'compute backend' },
    { name: 'bad-records', kind: 'enum', choices: ['error', 'skip'], default: 'skip', help: 'an unreadable image stops, or is skipped and counted' },
    { name: 'batch', kind: 'int', min: 1, default: 64, help: 'images per forward pass' },
  ],
  positionals: { name: 'inputs', help: 'image folders, CSV files with a path column, globs or images', min: 1 },
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  const opened = await openCheckpoint('predict', o);
  if (E.isLeft(opened)) {
    process.stderr.write(opened.left.message + '\n');
    return opened.left.code;
  }
  const { backend, model: m } = opened.right;
  const out = o.out as string;
  // before any work: a folder, device or input as --out would lose it all at the final rename
  const target = outputFileProblem(out, [o.checkpoint as string, ...parsed.positionals.filter((p) => !/[*?]/.test(p))]);
  if (target) return usageError(`elim predict: ${target}`);
  await fs.mkdir(path.dirname(path.resolve(out)), { recursive: true });
  const tmp = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.${process.pid}.tmp`);
  const file = await fs.open(tmp, 'w');
  const pool = new DecodePool();
  const bs = o.batch as number;
  let written = 0;
  let skipped = 0;
  const t0 = performance.now();
  try {
    await file.write('path,valence,arousal\n');
    const flush = async (records: FaceRecord[]) => {
      const stream = loadBatches(pool, records, [records.map((_, i) => i)], { augment: { size: m.model.spec.inputSize, train: false }, onBadRecord: o.badRecords as 'error' | 'skip' });
      for (;;) {
        const step = await stream.next();
        if (step.done) {
          if (E.isLeft(step.value)) throw new InputError(formatDataError(step.value.left));
          skipped += step.value.right.total;
          return;
        }
        const b = step.value;
        if (b.indices.length === 0) continue; // every image of this batch was unreadable (counted as skipped)
        const y = predictImages(m, b.x, b.indices.length, backend).predictions;
        const lines = b.indices.map((rec, j) => `${csvField(records[rec].source as string)},${y[2 * j]},${y[2 * j + 1]}`);
        await file.write(lines.join('\n') + '\n');
        written += lines.length;
      }
    };
    let pending: FaceRecord[] = [];
    for (const input of parsed.positionals) {
      for await (const p of imageInputs(input)) {
        pending.push({ source: p, valence: 0, arousal: 0, identity: '' });
        if (pending.length === bs) {
          await flush(pending);
          pending = [];
          process.stderr.write(`\rpredicted ${written} images`);
        }
      }
    }
    if (pending.length) await flush(pending);
    await file.sync();
  } catch (err) {
    await file.close();
    await fs.rm(tmp, { force: true });
    await pool.close();
    return failure(err instanceof InputError ? err.message : String(err));
  }
  await file.close();
  await pool.close();
  try {
    assertReplaceable(out); // checked before the work too; this closes the window since
    await fs.rename(tmp, out);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    return failure(`cannot write ${out}: ${(err as Error).message}`);
  }
  process.stderr.write(`\rpredicted ${written} images in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped ? `, ${skipped} unreadable skipped` : ''} -> ${out}\n`);
  return written === 0 && skipped > 0 ? 1 : 0;
};
