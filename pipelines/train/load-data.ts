/**
 * A run's data: the training identities and the held-out identities (never trained on) as
 * ImageSets at the model's input size.
 * - synthetic: generated from the run's seed (so held-out identities are drawn per seed);
 * - a real dataset: its records streamed by the loader (bad records skipped and counted, or an
 *   error, as asked), every image decoded once by the worker pool (evaluation transform: face
 *   crop, resize, centre crop), identities split train / held-out by a seeded draw.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import { Rng } from '../../lib/rng/rng.js';
import { dataError, mergeSummaries, type DataError, type SkipSummary } from '../data/data-error.js';
import type { FaceRecord } from '../data/face-record.js';
import { loadBatches } from '../data/batch-loader.js';
import { DecodePool } from '../data/images/decode-pool.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../data/images/sample-transform.js';
import { loadAfewVa } from '../data/loaders/afew-va.js';
import { loadAffectNet } from '../data/loaders/affectnet.js';
import { loadAffWild2 } from '../data/loaders/aff-wild2.js';
import { loadGenericCsv } from '../data/loaders/generic-csv.js';
import { collectRecords, type RecordStream } from '../data/record-stream.js';
import { synthesizeInMemory } from '../data/synthetic/synthesize.js';
import type { BandName, StyleName } from '../data/synthetic/face-model.js';
import { imageSetFromSynthetic, subsetByIdentity, type ImageSet } from './image-set.js';

export type DataSource = 'synthetic' | 'generic-csv' | 'afew-va' | 'affectnet' | 'aff-wild2';

export interface DataSpec {
  readonly source: DataSource;
  readonly path?: string;
  readonly imagesRoot?: string;
  readonly domainKey: 'identity' | 'age-group';
  readonly size: number;
  readonly seed: number;
  /** Synthetic data: sizes and the benchmark regime (band, style: absent = the default narrow / mild). */
  readonly synth: { readonly identities: number; readonly heldOut: number; readonly frames: number; readonly band?: BandName; readonly style?: StyleName };
  readonly heldOutFraction: number;
  readonly badRecords: 'error' | 'skip';
  /** Image paths in a CSV may leave the data root (default: a record that does is refused). */
  readonly allowOutsideRoot?: boolean;
}

export type Split = 'train' | 'held-out';

export interface RunData {
  readonly train: ImageSet;
  readonly heldOut: ImageSet;
  readonly skipped: SkipSummary | null;
  readonly description: string;
}

/** The synthetic faces are rendered at 64 px (or the input size if larger) and box-filtered down. */
const synthRenderSize = (size: number) => (size <= 64 && 64 % size === 0 ? 64 : size);

const streamFor = (d: DataSpec): (() => RecordStream) => {
  const common = { onBadRecord: d.badRecords, allowOutsideRoot: d.allowOutsideRoot === true } as const;
  const p = d.path!;
  switch (d.source) {
    case 'generic-csv':
      return () => loadGenericCsv({ ...common, csv: p, imageRoot: d.imagesRoot });
    case 'affectnet':
      return () => loadAffectNet({ ...common, csv: p, imageRoot: d.imagesRoot, identity: d.domainKey === 'age-group' ? 'age-group' : 'subdirectory' });
    case 'afew-va':
      return () => loadAfewVa({ ...common, root: p });
    case 'aff-wild2':
      // <path>/annotations (VA text files) and <path>/cropped_aligned (frames), or --images-root for the frames
      return () => loadAffWild2({ ...common, annotationDir: path.join(p, 'annotations'), framesDir: d.imagesRoot ?? path.join(p, 'cropped_aligned') });
    case 'synthetic':
      throw new Error('unreachable: synthetic data has no record stream');
  }
};

/** Decodes every record once (evaluation transform) into 8-bit RGB at `size`. */
const decodeAll = async (
  records: readonly FaceRecord[],
  size: number,
  policy: 'error' | 'skip',
): Promise<E.Either<DataError, { set: ImageSet; skipped: SkipSummary }>> => {
  const pool = new DecodePool();
  const per = size * size;
  const rgb = new Uint8Array(records.length * per * 3);
  const kept: number[] = [];
  try {
    const batches = Array.from({ length: Math.ceil(records.length / 64) }, (_, b) =>
      Array.from({ length: Math.min(64, records.length - b * 64) }, (_, i) => b * 64 + i),
    );
    const stream = loadBatches(pool, records, batches, { augment: { size, resize: size, train: false }, onBadRecord: policy });
    for (;;) {
      const step = await stream.next();
      if (step.done) {
        if (E.isLeft(step.value)) return step.value;
        const n = kept.length;
        const set: ImageSet = {
          size,
          count: n,
          rgb: rgb.subarray(0, n * per * 3),
          labels: Float32Array.from(kept.flatMap((i) => [records[i].valence, records[i].arousal])),
          identities: kept.map((i) => records[i].identity),
          keys: kept.map((i) => records[i].identity),
          sources: kept.map((i) => (typeof records[i].source === 'string' ? (records[i].source as string) : `memory:${i}`)),
        };
        return E.right({ set, skipped: step.value.right });
      }
      const b = step.value;
      b.indices.forEach((rec, j) => {
        const slot = kept.length;
        kept.push(rec);
        for (let c = 0; c < 3; c++)
          for (let p = 0; p < per; p++) {
            const v = (b.x[(j * 3 + c) * per + p] * IMAGENET_STD[c] + IMAGENET_MEAN[c]) * 255;
            rgb[(slot * per + p) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
          }
      });
    }
  } finally {
    await pool.close();
  }
};

/**
 * Loads a run's data; a split the caller needs (`need`, default both) that ends up with no image
 * is an `EmptySplit` error, never a metric over nothing.
 */
export const loadRunData = async (d: DataSpec, need: readonly Split[] = ['train', 'held-out']): Promise<E.Either<DataError, RunData>> => {
  const r = await loadSplits(d);
  if (E.isLeft(r)) return r;
  for (const split of need) {
    const set = split === 'train' ? r.right.train : r.right.heldOut;
    if (set.count === 0) return E.left(dataError('EmptySplit', d.path ?? '<synthetic>', `the ${split} split has no images (${r.right.description})`));
  }
  return r;
};

const loadSplits = async (d: DataSpec): Promise<E.Either<DataError, RunData>> => {
  if (d.source === 'synthetic') {
    const ds = synthesizeInMemory({
      seed: d.seed,
      identities: d.synth.identities,
      heldOut: d.synth.heldOut,
      frames: d.synth.frames,
      size: synthRenderSize(d.size),
      band: d.synth.band,
      style: d.synth.style,
    });
    const regime = d.synth.band || d.synth.style ? `, regime band=${ds.options.band} style=${ds.options.style}` : '';
    const all = imageSetFromSynthetic(ds, d.size);
    return E.right({
      train: subsetByIdentity(all, new Set(ds.trainIdentities)),
      heldOut: subsetByIdentity(all, new Set(ds.heldOutIdentities)),
      skipped: null,
      description: `synthetic faces (seed ${d.seed}): ${ds.trainIdentities.length} training and ${ds.heldOutIdentities.length} held-out identities x ${d.synth.frames} frames, ${d.size}px${regime}`,
    });
  }
  const loaded = await collectRecords(streamFor(d))();
  if (E.isLeft(loaded)) return loaded;
  const decoded = await decodeAll(loaded.right.records, d.size, d.badRecords);
  if (E.isLeft(decoded)) return decoded;
  const set = decoded.right.set;
  const ids = [...new Set(set.identities)].sort();
  const shuffled = Rng.fromSeed(d.seed).fork().shuffle(ids);
  const nHeld = Math.max(1, Math.round(ids.length * d.heldOutFraction));
  const held = new Set(shuffled.slice(0, nHeld));
  const trainIds = new Set(shuffled.slice(nHeld));
  const skipped = mergeSummaries(loaded.right.summary, decoded.right.skipped);
  return E.right({
    train: subsetByIdentity(set, trainIds),
    heldOut: subsetByIdentity(set, held),
    skipped,
    description: `${d.source} at ${d.path}: ${set.count} images, ${trainIds.size} training and ${held.size} held-out identities${skipped.total ? `, ${skipped.total} records skipped` : ''}`,
  });
};
