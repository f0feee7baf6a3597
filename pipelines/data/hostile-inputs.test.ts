/**
 * Hostile records (issue #16), each generated here: a label file or image that is a device, a
 * FIFO, a path out of the data root, a duplicated column, a hex label, a PNG header claiming
 * more pixels than the budget, a face box far larger than its image. Each is refused quickly
 * with a DataError naming the file, never a hang, an exhausted memory or a silent wrong value.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows, headerProblem, parseNumber } from './csv-lines.js';
import { collectRecords } from './record-stream.js';
import { loadGenericCsv } from './loaders/generic-csv.js';
import { pngBytes, tempDir, writeAt } from './loaders/fixtures.test-helpers.js';
import { DecodePool } from './images/decode-pool.js';
import { loadBatches } from './batch-loader.js';
import { imageHeaderSize } from './images/image-header.js';
import type { FaceRecord } from './face-record.js';
import { LIMITS } from '../limits.js';

const crc32 = (bytes: Uint8Array): number => {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
};

const chunk = (type: string, data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
};

/** A well-formed (CRC-correct) PNG whose IHDR claims w x h RGBA pixels but holds almost no data. */
const bombPng = (w: number, h: number): Uint8Array => {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, w);
  new DataView(ihdr.buffer).setUint32(4, h);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const parts = [
    Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

let dir = '';
let fifo = '';
beforeAll(async () => {
  dir = await tempDir('hostile');
  const png = await pngBytes();
  await writeAt(path.join(dir, 'root', 'a', '1.png'), png);
  await writeAt(path.join(dir, 'outside.png'), png);
  await writeAt(path.join(dir, 'bomb.png'), bombPng(9000, 9000));
  fifo = path.join(dir, 'fifo.png');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
});

const pool = new DecodePool(1);
afterAll(() => pool.close());

describe('label files', () => {
  it('labels are plain decimals: 0x1, 0b1, Infinity are not numbers', () => {
    expect(parseNumber('0x1')).toBeUndefined();
    expect(parseNumber('0b1')).toBeUndefined();
    expect(parseNumber('Infinity')).toBeUndefined();
    expect(parseNumber(' -0.5 ')).toBe(-0.5);
    expect(parseNumber('1e-3')).toBe(1e-3);
    expect(parseNumber('.5')).toBe(0.5);
  });

  it('a duplicated column is an error, not the last copy', async () => {
    expect(headerProblem(['path', 'valence', 'arousal', 'Valence'], ['path', 'valence', 'arousal'])).toMatch(/duplicated column\(s\): valence/);
    const csv = path.join(dir, 'root', 'dup.csv');
    await writeAt(csv, 'path,valence,arousal,valence\na/1.png,0.1,0.2,0.9\n');
    const r = await collectRecords(() => loadGenericCsv({ csv }))();
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'MissingColumn', file: csv, line: 1 });
  });

  it('a path that leaves the data root is refused unless allowed', async () => {
    const csv = path.join(dir, 'root', 'escape.csv');
    await writeAt(csv, 'path,valence,arousal\n../outside.png,0.1,0.2\na/1.png,0,0\n');
    const r = await collectRecords(() => loadGenericCsv({ csv }))();
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'OutsideRoot', line: 2 });
    const skipped = await collectRecords(() => loadGenericCsv({ csv, onBadRecord: 'skip' }))();
    expect(E.isRight(skipped) && skipped.right.records.map((x) => x.identity)).toEqual(['a']);
    const allowed = await collectRecords(() => loadGenericCsv({ csv, allowOutsideRoot: true }))();
    expect(E.isRight(allowed) && allowed.right.records).toHaveLength(2);
  });

  it('an image that is a device or a FIFO is refused at load time (no endless read, no block)', async () => {
    const csv = path.join(dir, 'root', 'devices.csv');
    await writeAt(csv, `path,valence,arousal\n/dev/zero,0,0\n${fifo},0,0\n`);
    const r = await collectRecords(() => loadGenericCsv({ csv, onBadRecord: 'skip', allowOutsideRoot: true }))();
    expect(E.isRight(r) && r.right.summary.byReason).toEqual({ MissingImage: 2 });
    expect(E.isRight(r) && r.right.summary.examples[0].message).toMatch(/not a regular file/);
  });

  it('a label file that is a device or a FIFO is refused before reading', async () => {
    const first = async (file: string) => {
      for await (const row of csvRows(file)) return row;
      return undefined;
    };
    await expect(first('/dev/zero')).rejects.toThrow(/not a regular file/);
    await expect(first(fifo)).rejects.toThrow(/not a regular file \(a FIFO\)/);
  });
});

describe('the decoder checks the header and the box before decoding', () => {
  const decode = async (records: FaceRecord[]) => {
    const stream = loadBatches(pool, records, [records.map((_, i) => i)], { augment: { size: 8, train: false }, onBadRecord: 'skip' });
    let kept = 0;
    for (;;) {
      const s = await stream.next();
      if (s.done) return { kept, summary: E.isRight(s.value) ? s.value.right : undefined };
      kept += s.value.indices.length;
    }
  };
  const rec = (source: string, crop?: FaceRecord['crop']): FaceRecord => ({ source, valence: 0, arousal: 0, identity: 'x', ...(crop ? { crop } : {}) });

  it('reads dimensions from PNG and JPEG headers', () => {
    expect(imageHeaderSize(bombPng(9000, 7000))).toEqual({ width: 9000, height: 7000, format: 'PNG' });
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0x20, 0x02, 0x40, 3, 0, 0, 0]);
    expect(imageHeaderSize(jpeg)).toEqual({ width: 576, height: 288, format: 'JPEG' });
    expect(imageHeaderSize(new TextEncoder().encode('not an image at all'))).toBeNull();
  });

  it('a PNG whose header claims more pixels than the budget is refused, not decoded', async () => {
    expect(9000 * 9000).toBeGreaterThan(LIMITS.imagePixels);
    const t0 = performance.now();
    const r = await decode([rec(path.join(dir, 'bomb.png')), rec(path.join(dir, 'root', 'a', '1.png'))]);
    expect(r.kept).toBe(1);
    expect(r.summary?.examples[0]).toMatchObject({ _tag: 'CorruptImage' });
    expect(r.summary?.examples[0].message).toMatch(/9000x9000 pixels, over the budget/);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a face box far larger than its image is refused (its resampling cost grows with its area)', async () => {
    const r = await decode([
      rec(path.join(dir, 'root', 'a', '1.png'), { x: 0, y: 0, width: 1e7, height: 1e7 }),
      rec(path.join(dir, 'root', 'a', '1.png'), { x: 1, y: 1, width: 6, height: 6 }),
    ]);
    expect(r.kept).toBe(1);
    expect(r.summary?.examples[0]).toMatchObject({ _tag: 'OutOfRange' });
  });

  it('a device or a FIFO given straight to the decoder fails its slot at once', async () => {
    expect(existsSync(fifo)).toBe(true);
    const r = await decode([rec('/dev/zero'), rec(fifo), rec(path.join(dir, 'root', 'a', '1.png'))]);
    expect(r.kept).toBe(1);
    expect(r.summary?.byReason).toEqual({ MissingImage: 2 });
  });
});

describe('empty splits', () => {
  it('a split with no image is an EmptySplit error, not metrics over nothing', async () => {
    const { loadRunData } = await import('../train/load-data.js');
    const csv = path.join(dir, 'root', 'one-identity.csv');
    await writeAt(csv, 'path,valence,arousal\na/1.png,0.1,0.2\na/1.png,-0.1,0.3\n');
    const spec = {
      source: 'generic-csv',
      path: csv,
      domainKey: 'identity',
      size: 8,
      seed: 0,
      synth: { identities: 4, heldOut: 1, frames: 2 },
      heldOutFraction: 0.25,
      badRecords: 'skip',
    } as const;
    const both = await loadRunData(spec);
    expect(E.isLeft(both) && both.left).toMatchObject({ _tag: 'EmptySplit', file: csv });
    expect(E.isLeft(both) && both.left.message).toMatch(/the train split has no images/);
    const heldOnly = await loadRunData(spec, ['held-out']);
    expect(E.isRight(heldOnly) && heldOnly.right.heldOut.count).toBe(2);
  });
});
