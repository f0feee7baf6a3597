import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Jimp } from 'jimp';
import * as E from 'fp-ts/lib/Either.js';
import { Rng } from '../../../lib/rng/rng.js';
import { DecodePool } from './decode-pool.js';
import { renderSample, type SampleTransform } from './sample-transform.js';
import { drawTransform } from './augment.js';
import { loadBatches, take, type Batch } from '../batch-loader.js';
import { synthesizeInMemory } from '../synthetic/synthesize.js';
import { pngBytes, tempDir } from '../loaders/fixtures.test-helpers.js';
import type { FaceRecord } from '../face-record.js';

const plain = (out: number, extra: Partial<SampleTransform> = {}): SampleTransform => ({
  box: null,
  resize: out,
  cropX: 0,
  cropY: 0,
  out,
  flip: false,
  brightness: 0,
  contrast: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
  ...extra,
});

describe('renderSample', () => {
  const w = 4,
    h = 2;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([i * 10, 255 - i * 10, 100, 255], 4 * i);

  it('is the identity (scaled to [0, 1], CHW) at the source size, and flips columns', () => {
    const t = { ...plain(2), box: { x: 0, y: 0, width: 2, height: 2 } };
    const out = new Float32Array(12);
    renderSample(rgba, w, h, t, out, 0);
    expect(Array.from(out.slice(0, 4)).map((v) => Math.round(v * 255))).toEqual([0, 10, 40, 50]);
    renderSample(rgba, w, h, { ...t, flip: true }, out, 0);
    expect(Array.from(out.slice(0, 4)).map((v) => Math.round(v * 255))).toEqual([10, 0, 50, 40]);
  });

  it('averages when shrinking, normalises with mean/std, clamps jitter', () => {
    const out = new Float32Array(3);
    renderSample(rgba, w, h, { ...plain(1), box: { x: 0, y: 0, width: 2, height: 2 }, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }, out, 0);
    expect(out[0]).toBeCloseTo((25 / 255 - 0.5) / 0.5, 5);
    renderSample(rgba, w, h, { ...plain(1), brightness: 2 }, out, 0);
    expect(Array.from(out)).toEqual([1, 1, 1]);
  });
});

describe('DecodePool (eval worker with jimp)', () => {
  let pool: DecodePool;
  let dir: string;
  beforeAll(async () => {
    pool = new DecodePool(2);
    dir = await tempDir('decode');
  });
  afterAll(() => pool.close());

  it('decodes PNG and JPEG files and in-memory pixels exactly as the main thread renders them', async () => {
    const ds = synthesizeInMemory({ seed: 3, identities: 2, heldOut: 1, frames: 2, size: 32 });
    const src = ds.records[0].source as { data: Uint8Array; width: number; height: number };
    const png = path.join(dir, 'a.png');
    await writeFile(png, await pngBytes(8, 8, [10, 200, 30]));
    const img = new Jimp({ width: 16, height: 16, color: 0x3366ccff });
    const jpg = path.join(dir, 'b.jpg');
    await writeFile(jpg, await img.getBuffer('image/jpeg'));
    const t = { ...plain(16), resize: 18, cropX: 1, cropY: 2, flip: true, brightness: 0.05, contrast: 1.1, box: { x: 2, y: 3, width: 20, height: 24 } };
    const out = new Float32Array(new SharedArrayBuffer(3 * 3 * 256 * 4));
    const fails = await pool.render(
      [
        { slot: 0, source: src as never, transform: t },
        { slot: 1, source: png, transform: plain(16) },
        { slot: 2, source: jpg, transform: plain(16) },
      ],
      out,
    );
    expect(fails).toEqual([]);
    const ref = new Float32Array(768);
    renderSample(src.data, src.width, src.height, t, ref, 0);
    expect(Array.from(out.subarray(0, 768))).toEqual(Array.from(ref));
    expect(out[768]).toBeCloseTo(10 / 255, 5); // PNG red plane
    expect(out[768 + 256]).toBeCloseTo(200 / 255, 5);
    expect(Math.abs(out[1536 + 512] - 0xcc / 255)).toBeLessThan(0.03); // JPEG blue plane, lossy
  });

  it('reports missing and corrupt images by slot', async () => {
    const bad = path.join(dir, 'bad.png');
    await writeFile(bad, 'not a png at all');
    const out = new Float32Array(new SharedArrayBuffer(2 * 3 * 16 * 4));
    const fails = await pool.render(
      [
        { slot: 0, source: path.join(dir, 'none.png'), transform: plain(4) },
        { slot: 1, source: bad, transform: plain(4) },
      ],
      out,
    );
    expect(fails.map((f) => [f.slot, f.tag])).toEqual([
      [0, 'MissingImage'],
      [1, 'CorruptImage'],
    ]);
  });
});

describe('loadBatches', () => {
  const ds = synthesizeInMemory({ seed: 5, identities: 4, heldOut: 1, frames: 6, size: 32 });
  const collect = async (pool: DecodePool, records: readonly FaceRecord[], policy: 'error' | 'skip', seed = 9) => {
    const it = loadBatches(
      pool,
      records,
      take(3, () => [0, 1, 2, 3, 4, 5, 6, 7]),
      { augment: { size: 24, train: true }, rng: Rng.fromSeed(seed), onBadRecord: policy },
    );
    const batches: Batch[] = [];
    for (;;) {
      const s = await it.next();
      if (s.done) return { batches, result: s.value };
      batches.push(s.value);
    }
  };

  it('is identical for 1 and 2 workers (augmentation drawn on the main thread)', async () => {
    const p1 = new DecodePool(1),
      p2 = new DecodePool(2);
    try {
      const a = await collect(p1, ds.records, 'error'),
        b = await collect(p2, ds.records, 'error');
      expect(a.batches).toHaveLength(3);
      expect(a.batches[0].shape).toEqual([8, 3, 24, 24]);
      a.batches.forEach((x, i) =>
        expect(Buffer.from(x.x.buffer as SharedArrayBuffer).equals(Buffer.from(b.batches[i].x.buffer as SharedArrayBuffer))).toBe(true),
      );
      expect(Array.from(a.batches[0].y.slice(0, 2))).toEqual([Math.fround(ds.records[0].valence), Math.fround(ds.records[0].arousal)]);
      // different batches got different augmentation
      expect(Buffer.from(a.batches[0].x.buffer as SharedArrayBuffer).equals(Buffer.from(a.batches[1].x.buffer as SharedArrayBuffer))).toBe(false);
    } finally {
      await Promise.all([p1.close(), p2.close()]);
    }
  });

  it("drops a failed image under 'skip' (labels stay aligned) and stops with a DataError under 'error'", async () => {
    const pool = new DecodePool(2);
    try {
      const records = ds.records.map((r, i) => (i === 2 ? { ...r, source: '/nonexistent/x.png' } : r));
      const s = await collect(pool, records, 'skip');
      expect(s.batches[0].shape[0]).toBe(7);
      expect(s.batches[0].indices).toEqual([0, 1, 3, 4, 5, 6, 7]);
      expect(s.batches[0].y[4]).toBe(Math.fround(ds.records[3].valence));
      expect(E.isRight(s.result) && s.result.right.byReason).toEqual({ MissingImage: 3 });
      const ref = await collect(pool, ds.records, 'skip');
      // the surviving images equal the unskipped run's only if augmentation draws are the same: slot 3 -> position 2
      const per = 3 * 24 * 24;
      expect(Array.from(s.batches[0].x.subarray(2 * per, 3 * per))).toEqual(Array.from(ref.batches[0].x.subarray(3 * per, 4 * per)));
      const e = await collect(pool, records, 'error');
      expect(E.isLeft(e.result) && e.result.left).toMatchObject({ _tag: 'MissingImage', file: '/nonexistent/x.png' });
    } finally {
      await pool.close();
    }
  });

  it('evaluation transforms are deterministic without an Rng', () => {
    expect(drawTransform(undefined, { size: 64 }, undefined)).toMatchObject({ cropX: 4, cropY: 4, flip: false, brightness: 0, contrast: 1, resize: 73 });
  });
});
