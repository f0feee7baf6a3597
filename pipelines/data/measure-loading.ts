/**
 * Data-loading throughput: decode + augment + normalise, 64x64, batches of 64, through the
 * worker pool with prefetch, from PNG files (the common path) and from in-memory synthetic
 * pixels. Run: `npx tsc -p tsconfig.build.json && node dist/pipelines/data/measure-loading.js [workers...]`.
 * Prints one JSON line per configuration.
 */
import * as path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../lib/rng/rng.js';
import { synthesizeDataset } from './synthetic/write-synthetic.js';
import { synthesizeInMemory } from './synthetic/synthesize.js';
import { collectRecords } from './record-stream.js';
import { loadGenericCsv } from './loaders/generic-csv.js';
import { DecodePool, defaultWorkerCount } from './images/decode-pool.js';
import { loadBatches, take } from './batch-loader.js';
import { plainBatches } from './identity-sampler.js';
import type { FaceRecord } from './face-record.js';

const BATCH = 64;

const measure = async (label: string, records: readonly FaceRecord[], workers: number, batches: number) => {
  const pool = new DecodePool(workers);
  try {
    const rng = Rng.fromSeed(1);
    const order = () => plainBatches(records.length, BATCH, rng).filter((b) => b.length === BATCH);
    let queue: number[][] = [];
    const next = () => {
      if (queue.length === 0) queue = order();
      return queue.shift()!;
    };
    // warm-up: workers load jimp and JIT the transform
    for await (const _ of loadBatches(pool, records, take(2, next), { augment: { size: 64, train: true }, rng })) void _;
    const t0 = performance.now();
    let images = 0;
    for await (const b of loadBatches(pool, records, take(batches, next), { augment: { size: 64, train: true }, rng, prefetch: 3 })) images += b.shape[0];
    const s = (performance.now() - t0) / 1000;
    console.log(JSON.stringify({ source: label, workers, batchSize: BATCH, batches, images, seconds: +s.toFixed(3), imagesPerSecond: Math.round(images / s) }));
  } finally {
    await pool.close();
  }
};

const main = async () => {
  const workerCounts = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const counts = workerCounts.length ? workerCounts : [defaultWorkerCount()];
  const dir = await mkdtemp(path.join(tmpdir(), 'elim-measure-'));
  try {
    const t0 = performance.now();
    const written = await synthesizeDataset({ seed: 1, identities: 24, heldOut: 4, frames: 40, out: dir })();
    if (E.isLeft(written)) throw new Error(written.left.message);
    console.log(JSON.stringify({ step: 'synthesize+write 960 PNGs', seconds: +((performance.now() - t0) / 1000).toFixed(2) }));
    const loaded = await collectRecords(() => loadGenericCsv({ csv: written.right.csv }))();
    if (E.isLeft(loaded)) throw new Error(loaded.left.message);
    const t1 = performance.now();
    const mem = synthesizeInMemory({ seed: 1 });
    console.log(JSON.stringify({ step: 'synthesizeInMemory 48 x 40 64x64', seconds: +((performance.now() - t1) / 1000).toFixed(2) }));
    for (const w of counts) {
      await measure('png-files', loaded.right.records, w, 30);
      await measure('in-memory', mem.records, w, 30);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
