/**
 * Batches for the trainer: records + index batches in, NCHW float32 images + VA labels out,
 * decoded and augmented by the worker pool with `prefetch` batches in flight, so the trainer's
 * next batch is usually ready when it asks. Augmentation parameters are drawn here, on the main
 * thread, in batch order, when a batch is submitted: the output depends only on the seed.
 *
 * A failed image (missing, corrupt) stops the stream with a DataError under 'error'; under
 * 'skip' it is dropped from its batch (the batch shrinks, labels stay aligned) and counted.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Rng } from '../../lib/rng/rng.js';
import { SkipCounter, dataError, type BadRecordPolicy, type DataError, type SkipSummary } from './data-error.js';
import type { FaceRecord } from './face-record.js';
import { drawTransform, type AugmentConfig } from './images/augment.js';
import type { DecodePool, RenderFailure, RenderJob } from './images/decode-pool.js';

export interface Batch {
  /** Images, NCHW, ImageNet-normalised; backed by a SharedArrayBuffer. */
  readonly x: Float32Array;
  readonly shape: readonly [number, number, number, number];
  /** (valence, arousal) per image, row-major [B, 2]. */
  readonly y: Float32Array;
  readonly identities: readonly string[];
  /** Indices into the records the batch was built from. */
  readonly indices: readonly number[];
}

export interface BatchLoaderOptions {
  readonly augment: AugmentConfig;
  /** Consumed only when `augment.train`. */
  readonly rng?: Rng;
  readonly onBadRecord?: BadRecordPolicy;
  /** Batches decoded ahead of the consumer. Default 2. */
  readonly prefetch?: number;
}

export type BatchStream = AsyncGenerator<Batch, E.Either<DataError, SkipSummary>, undefined>;

interface InFlight {
  readonly indices: number[];
  readonly x: Float32Array;
  readonly done: Promise<RenderFailure[]>;
}

export async function* loadBatches(pool: DecodePool, records: readonly FaceRecord[], indexBatches: Iterable<number[]>, o: BatchLoaderOptions): BatchStream {
  const size = o.augment.size ?? 64;
  const per = 3 * size * size;
  const skips = new SkipCounter();
  const queue: InFlight[] = [];
  const source = indexBatches[Symbol.iterator]();
  const submit = (): boolean => {
    const step = source.next();
    if (step.done) return false;
    const indices = step.value;
    const x = new Float32Array(new SharedArrayBuffer(indices.length * per * 4));
    const jobs: RenderJob[] = indices.map((ri, slot) => {
      const r = records[ri];
      return { slot, source: r.source, transform: drawTransform(r.crop, o.augment, o.rng) };
    });
    const done = pool.render(jobs, x);
    done.catch(() => undefined); // a consumer that stops early and closes the pool must not leave an unhandled rejection
    queue.push({ indices, x, done });
    return true;
  };
  const depth = Math.max(1, o.prefetch ?? 2);
  while (queue.length < depth && submit());
  while (queue.length > 0) {
    const head = queue.shift()!;
    submit(); // keep the pipeline full while the consumer works on this batch
    const failures = await head.done;
    let keep = head.indices.map((_, slot) => slot);
    if (failures.length > 0) {
      const errs = failures.map((f) => {
        const src = records[head.indices[f.slot]].source;
        return dataError(f.tag, typeof src === 'string' ? src : '<in-memory image>', f.message);
      });
      if (o.onBadRecord !== 'skip') {
        await Promise.allSettled(queue.map((q) => q.done)); // let in-flight work finish before the caller closes the pool
        return E.left(errs[0]);
      }
      errs.forEach((e) => skips.add(e));
      const failed = new Set(failures.map((f) => f.slot));
      keep = keep.filter((s) => !failed.has(s));
    }
    yield assemble(head, keep, records, size, per);
  }
  return E.right(skips.summary());
}

const assemble = (head: InFlight, keep: number[], records: readonly FaceRecord[], size: number, per: number): Batch => {
  let x = head.x;
  if (keep.length !== head.indices.length) {
    // Compact in place: surviving slots move down; the view is shortened.
    keep.forEach((slot, k) => {
      if (slot !== k) x.copyWithin(k * per, slot * per, (slot + 1) * per);
    });
    x = x.subarray(0, keep.length * per);
  }
  const indices = keep.map((s) => head.indices[s]);
  const y = new Float32Array(indices.length * 2);
  indices.forEach((ri, k) => {
    y[2 * k] = records[ri].valence;
    y[2 * k + 1] = records[ri].arousal;
  });
  return { x, shape: [indices.length, 3, size, size], y, identities: indices.map((ri) => records[ri].identity), indices };
};

/** `n` batches from a sampler's `next()` (an iterable for `loadBatches`). */
export function* take(n: number, next: () => number[]): Generator<number[]> {
  for (let i = 0; i < n; i++) yield next();
}
