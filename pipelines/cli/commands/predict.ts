/**
 * `elim predict`: valence/arousal for images (folders, CSVs with a path column, globs) to a CSV.
 * Streams: inputs are listed lazily and decoded 64 at a time by the worker pool, rows are
 * appended to a temporary file renamed over the output at the end (no half-written CSV).
 *
 * `--per-identity` (issue #15): test-time identity matching. Each image's identity comes from a
 * CSV column (`--identity-column`) or its folder; all frames of an identity are encoded, their
 * latents matched to the run's anchor latents (anchor-latents.json beside the checkpoint, or
 * `--anchor`) with the transport stage, the identity's displacement removed, and only then is
 * the projector applied (train/identity-matching.ts). This mode holds every latent in memory
 * (the frames of one person are needed together) and writes path,identity,valence,arousal.
 */
import * as E from 'fp-ts/lib/Either.js';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CommandSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { assertReplaceable, outputFileProblem } from '../../io/output-target.js';
import { imageInputs, imageInputsWithIdentity, InputError } from '../image-inputs.js';
import type { ParsedOptions } from '../args.js';
import type { Backend } from '../../../lib/backend/backend.js';
import type { LoadedModel } from '../../train/load-model.js';
import { matchedPredictions, type AnchorLatents } from '../../train/identity-matching.js';
import { formatElimError } from '../../errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { loadBatches, type Batch } from '../../data/batch-loader.js';
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
    {
      name: 'per-identity',
      kind: 'boolean',
      default: false,
      help: "test-time identity matching: match each identity's frames to the training anchor before predicting",
    },
    { name: 'identity-column', kind: 'string', help: "--per-identity with CSV inputs: the identity column (default: each image's folder name)" },
    { name: 'anchor', kind: 'string', help: '--per-identity: anchor latents JSON (default: anchor-latents.json beside the checkpoint)' },
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
  if (o.perIdentity) return predictPerIdentity(o, parsed.positionals, m, backend);
  if (o.identityColumn !== undefined || o.anchor !== undefined) return failure('--identity-column and --anchor need --per-identity');
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
      skipped += await forEachBatch(pool, records, [records.map((_, i) => i)], m, o, async (b) => {
        if (b.indices.length === 0) return; // every image of this batch was unreadable (counted as skipped)
        const y = predictImages(m, b.x, b.indices.length, backend).predictions;
        const lines = b.indices.map((rec, j) => `${csvField(records[rec].source as string)},${y[2 * j]},${y[2 * j + 1]}`);
        await file.write(lines.join('\n') + '\n');
        written += lines.length;
      });
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
  process.stderr.write(
    `\rpredicted ${written} images in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped ? `, ${skipped} unreadable skipped` : ''} -> ${out}\n`,
  );
  return written === 0 && skipped > 0 ? 1 : 0;
};

/** Reads and checks anchor latents written by a training run. */
const readAnchor = async (file: string, dim: number): Promise<AnchorLatents> => {
  let raw: { dim?: unknown; rows?: unknown; data?: unknown };
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(`cannot read anchor latents ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const { dim: d, rows, data } = raw;
  if (
    d !== dim ||
    typeof rows !== 'number' ||
    rows < 1 ||
    !Array.isArray(data) ||
    data.length !== rows * dim ||
    !data.every((x) => typeof x === 'number' && Number.isFinite(x))
  )
    throw new InputError(`${file}: not anchor latents of dimension ${dim} (need { dim, rows, data: rows x dim finite numbers })`);
  return { dim, rows, data: Float32Array.from(data as number[]) };
};

/**
 * Decodes `batches` of `records` for inference (no augmentation; an unreadable image is an error
 * or skipped as --bad-records says) and hands each batch to `each` in order. Returns how many
 * images were skipped; a data error throws InputError.
 */
const forEachBatch = async (
  pool: DecodePool,
  records: readonly FaceRecord[],
  batches: Iterable<number[]>,
  m: LoadedModel,
  o: ParsedOptions,
  each: (b: Batch) => Promise<void> | void,
): Promise<number> => {
  const stream = loadBatches(pool, records, batches, {
    augment: { size: m.model.spec.inputSize, train: false },
    onBadRecord: o.badRecords as 'error' | 'skip',
  });
  for (;;) {
    const step = await stream.next();
    if (step.done) {
      if (E.isLeft(step.value)) throw new InputError(formatDataError(step.value.left));
      return step.value.right.total;
    }
    await each(step.value);
  }
};

const predictPerIdentity = async (o: ParsedOptions, inputs: readonly string[], m: LoadedModel, backend: Backend): Promise<number> => {
  const out = o.out as string;
  const d = m.model.spec.latent;
  const pool = new DecodePool();
  const t0 = performance.now();
  try {
    const anchor = await readAnchor((o.anchor as string | undefined) ?? path.join(path.dirname(o.checkpoint as string), 'anchor-latents.json'), d);
    const records: Array<FaceRecord & { identity: string }> = [];
    for (const input of inputs)
      for await (const x of imageInputsWithIdentity(input, o.identityColumn as string | undefined))
        records.push({ source: x.path, valence: 0, arousal: 0, identity: x.identity });
    const bs = o.batch as number;
    const kept: number[] = [];
    const latents: number[] = [];
    const batches = Array.from({ length: Math.ceil(records.length / bs) }, (_, b) =>
      Array.from({ length: Math.min(bs, records.length - b * bs) }, (_, i) => b * bs + i),
    );
    const skipped = await forEachBatch(pool, records, batches, m, o, (b) => {
      const r = predictImages(m, b.x, b.indices.length, backend, true);
      kept.push(...b.indices);
      for (const v of r.latents!) latents.push(v);
      process.stderr.write(`\rencoded ${kept.length} images`);
    });
    if (kept.length === 0) return failure(`no readable image${skipped ? ` (${skipped} unreadable skipped)` : ''}`);
    const identities = kept.map((i) => records[i].identity);
    const preds = matchedPredictions(m, Float32Array.from(latents), identities, anchor, m.elim.transport, backend);
    if (E.isLeft(preds)) return failure(`test-time identity matching: ${formatElimError(preds.left)}`);
    const rows = kept.map((rec, j) => `${csvField(records[rec].source as string)},${csvField(identities[j])},${preds.right[2 * j]},${preds.right[2 * j + 1]}`);
    await writeFileAtomic(out, ['path,identity,valence,arousal', ...rows].join('\n') + '\n');
    process.stderr.write(
      `\rpredicted ${kept.length} images of ${new Set(identities).size} identities with test-time identity matching in ${((performance.now() - t0) / 1000).toFixed(1)} s${skipped ? `, ${skipped} unreadable skipped` : ''} -> ${out}\n`,
    );
    return 0;
  } catch (err) {
    return failure(err instanceof InputError ? err.message : String(err));
  } finally {
    await pool.close();
  }
};
