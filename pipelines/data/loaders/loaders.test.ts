import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { collectRecords, type RecordStream } from '../record-stream.js';
import { loadGenericCsv } from './generic-csv.js';
import { loadAffectNet } from './affectnet.js';
import { loadAffWild2 } from './aff-wild2.js';
import { loadAfewVa } from './afew-va.js';
import { landmarks68, pngBytes, tempDir, writeAt } from './fixtures.test-helpers.js';

const run = (s: () => RecordStream) => collectRecords(s)();

describe('generic CSV loader', () => {
  const build = async (rows: string[]) => {
    const dir = await tempDir('generic');
    const png = await pngBytes();
    await writeAt(path.join(dir, 'vidA/0001.png'), png);
    await writeAt(path.join(dir, 'vidA/0002.png'), png);
    await writeAt(path.join(dir, 'vidB/sub/0001.png'), png);
    await writeAt(path.join(dir, 'labels.csv'), ['path,valence,arousal', ...rows].join('\n'));
    return path.join(dir, 'labels.csv');
  };

  it('reads records with identity = first path segment', async () => {
    const csv = await build(['vidA/0001.png,0.5,-0.25', 'vidA/0002.png,-1,1', 'vidB/sub/0001.png,0,0']);
    const r = await run(() => loadGenericCsv({ csv }));
    expect(E.isRight(r)).toBe(true);
    if (E.isLeft(r)) return;
    expect(r.right.records.map((x) => [x.identity, x.valence, x.arousal])).toEqual([
      ['vidA', 0.5, -0.25],
      ['vidA', -1, 1],
      ['vidB', 0, 0],
    ]);
    expect(r.right.records[2].clip).toBe('vidB/sub');
    expect(r.right.summary.total).toBe(0);
  });

  it('names file and line for non-numeric, out-of-range and missing images; skip counts them', async () => {
    const csv = await build(['vidA/0001.png,0.5,abc', 'vidA/0002.png,1.5,0', 'vidA/nope.png,0,0', 'vidA/0001.png,0.1,0.1']);
    const err = await run(() => loadGenericCsv({ csv }));
    expect(E.isLeft(err) && err.left).toMatchObject({ _tag: 'NonNumeric', file: csv, line: 2 });
    const ok = await run(() => loadGenericCsv({ csv, onBadRecord: 'skip' }));
    if (E.isLeft(ok)) throw new Error('expected Right');
    expect(ok.right.records).toHaveLength(1);
    expect(ok.right.summary.byReason).toEqual({ NonNumeric: 1, OutOfRange: 1, MissingImage: 1 });
    expect(ok.right.summary.examples.map((e) => e.line)).toEqual([2, 3, 4]);
  });

  it('missing columns and missing files are errors whatever the policy', async () => {
    const dir = await tempDir('generic-bad');
    await writeAt(path.join(dir, 'l.csv'), 'path,valence\na.png,0\n');
    const r = await run(() => loadGenericCsv({ csv: path.join(dir, 'l.csv'), onBadRecord: 'skip' }));
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'MissingColumn', line: 1 });
    const m = await run(() => loadGenericCsv({ csv: path.join(dir, 'absent.csv') }));
    expect(E.isLeft(m) && m.left._tag).toBe('Unreadable');
  });
});

describe('AffectNet loader', () => {
  const header = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal';
  const build = async (rows: string[], h = header) => {
    const dir = await tempDir('affectnet');
    const png = await pngBytes(32, 32);
    for (const f of ['689/a.jpg', '689/b.jpg', '12/c.jpg']) await writeAt(path.join(dir, 'Manually_Annotated_Images', f), png);
    await writeAt(path.join(dir, 'training.csv'), [h, ...rows].join('\r\n'));
    return { csv: path.join(dir, 'training.csv'), imageRoot: path.join(dir, 'Manually_Annotated_Images') };
  };
  const lm = '"1.0;2.0;3.0;4.0"';

  it('reads box, expression, VA; skips -2 and no-face with counts', async () => {
    const o = await build([
      `689/a.jpg,4,5,20,22,${lm},1,0.8,0.3`,
      `689/b.jpg,0,0,32,32,${lm},0,-2,-2`,
      `12/c.jpg,1,1,30,30,${lm},10,0.1,0.1`,
      `12/c.jpg,1,1,30,30,${lm},6,-0.4,0.9`,
    ]);
    const r = await run(() => loadAffectNet(o));
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.records).toHaveLength(2);
    expect(r.right.records[0]).toMatchObject({ identity: '689', expression: 1, valence: 0.8, arousal: 0.3, crop: { x: 4, y: 5, width: 20, height: 22 } });
    expect(r.right.records[1].identity).toBe('12');
    expect(r.right.summary.byReason).toEqual({ InvalidLabel: 1, Excluded: 1 });
  });

  it('age column gives age-group identities for ELIM-Age; bad age and bad box are errors with lines', async () => {
    const o = await build([`689/a.jpg,4,5,20,22,${lm},1,0.8,0.3,34`, `689/b.jpg,4,5,20,22,${lm},1,0.8,0.3,old`], `${header},age`);
    const err = await run(() => loadAffectNet({ ...o, identity: 'age-group' }));
    expect(E.isLeft(err) && err.left).toMatchObject({ _tag: 'NonNumeric', line: 3 });
    const ok = await run(() => loadAffectNet({ ...o, identity: 'age-group', onBadRecord: 'skip' }));
    if (E.isLeft(ok)) throw new Error(ok.left.message);
    expect(ok.right.records[0]).toMatchObject({ identity: 'age:30-39', age: 34 });
    const box = await build([`689/a.jpg,x,5,20,22,${lm},1,0.8,0.3`]);
    const b = await run(() => loadAffectNet(box));
    expect(E.isLeft(b) && b.left).toMatchObject({ _tag: 'NonNumeric', line: 2 });
  });

  it('reports missing columns', async () => {
    const o = await build([], 'subDirectory_filePath,valence,arousal');
    const r = await run(() => loadAffectNet(o));
    expect(E.isLeft(r) && r.left._tag).toBe('MissingColumn');
    expect(E.isLeft(r) && r.left.message).toContain('face_x');
  });
});

describe('Aff-Wild2 loader', () => {
  const build = async (videos: Record<string, string[]>, frames: Record<string, number>) => {
    const dir = await tempDir('affwild2');
    const png = await pngBytes();
    for (const [v, lines] of Object.entries(videos)) await writeAt(path.join(dir, 'ann', `${v}.txt`), lines.join('\n') + '\n');
    for (const [v, n] of Object.entries(frames))
      for (let i = 1; i <= n; i++) await writeAt(path.join(dir, 'cropped_aligned', v, `${String(i).padStart(5, '0')}.jpg`), png);
    return { annotationDir: path.join(dir, 'ann'), framesDir: path.join(dir, 'cropped_aligned') };
  };

  it('maps line i to frame 0000i.jpg, skips -5, identity = video', async () => {
    const o = await build(
      { '1-30-1280x720': ['valence,arousal', '0.1,0.2', '-5,-5', '0.3,-0.4'], '2-left': ['valence,arousal', '0.5,0.5'] },
      { '1-30-1280x720': 3, '2-left': 1 },
    );
    const r = await run(() => loadAffWild2(o));
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.records.map((x) => [x.identity, x.frame, path.basename(x.source as string)])).toEqual([
      ['1-30-1280x720', 1, '00001.jpg'],
      ['1-30-1280x720', 3, '00003.jpg'],
      ['2-left', 1, '00001.jpg'],
    ]);
    expect(r.right.summary.byReason).toEqual({ InvalidLabel: 1 });
  });

  it('bad header, out of range, missing frame, and a video with no usable frame', async () => {
    const o = await build({ a: ['v,a', '0,0'], b: ['valence,arousal', '2,0', '0,0'], c: ['valence,arousal', '-5,-5'] }, { a: 1, b: 1 });
    const err = await run(() => loadAffWild2(o));
    expect(E.isLeft(err) && err.left).toMatchObject({ _tag: 'MissingColumn', line: 1, file: path.join(o.annotationDir, 'a.txt') });
    const ok = await run(() => loadAffWild2({ ...o, onBadRecord: 'skip' }));
    if (E.isLeft(ok)) throw new Error(ok.left.message);
    expect(ok.right.records).toHaveLength(0);
    expect(ok.right.summary.byReason).toEqual({ MissingColumn: 1, OutOfRange: 1, MissingImage: 1, InvalidLabel: 1, EmptyIdentity: 2 });
  });
});

describe('AFEW-VA loader', () => {
  const build = async (clips: Record<string, unknown>, frames: Record<string, string[]>) => {
    const root = await tempDir('afewva');
    const png = await pngBytes(64, 64);
    for (const [c, json] of Object.entries(clips)) await writeAt(path.join(root, c, `${c}.json`), typeof json === 'string' ? json : JSON.stringify(json));
    for (const [c, fs] of Object.entries(frames)) for (const f of fs) await writeAt(path.join(root, c, `${f}.png`), png);
    return root;
  };
  const frame = (v: number, a: number, lm: unknown = landmarks68()) => ({ valence: v, arousal: a, landmarks: lm });

  it('scales VA by 1/10, crops a square box around the landmarks, identity = clip or actor', async () => {
    const root = await build(
      { '001': { actor: 'Tom', frames: { '00000': frame(5, -10), '00001': frame(0, 2) } }, '002': { frames: { '00000': frame(-3, 3) } } },
      { '001': ['00000', '00001'], '002': ['00000'] },
    );
    const r = await run(() => loadAfewVa({ root, margin: 0.25 }));
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.records.map((x) => [x.identity, x.clip, x.frame, x.valence, x.arousal])).toEqual([
      ['001', '001', 0, 0.5, -1],
      ['001', '001', 1, 0, 0.2],
      ['002', '002', 0, -0.3, 0.3],
    ]);
    expect(r.right.records[0].crop).toEqual({ x: 0, y: 0, width: 60, height: 60 }); // 40 px box + 25% each side, centred at (30, 30)
    const byActor = await run(() => loadAfewVa({ root, identity: 'actor' }));
    if (E.isLeft(byActor)) throw new Error(byActor.left.message);
    expect(byActor.right.records.map((x) => x.identity)).toEqual(['Tom', 'Tom', '002']);
  });

  it('schema errors name the JSON; skip counts them and flags clips left empty', async () => {
    const root = await build(
      {
        '001': {
          frames: {
            '00000': frame(11, 0),
            '00001': frame(0, 0, [[1, 2]]),
            '00002': { valence: 'x', arousal: 0, landmarks: landmarks68() },
            '00003': frame(1, 1),
          },
        },
        '002': '{not json',
        '003': { nope: 1 },
      },
      { '001': ['00000', '00001', '00002'] },
    );
    const err = await run(() => loadAfewVa({ root }));
    expect(E.isLeft(err) && err.left).toMatchObject({ _tag: 'OutOfRange', file: path.join(root, '001', '001.json') });
    const ok = await run(() => loadAfewVa({ root, onBadRecord: 'skip' }));
    if (E.isLeft(ok)) throw new Error(ok.left.message);
    expect(ok.right.records).toHaveLength(0);
    expect(ok.right.summary.byReason).toEqual({ OutOfRange: 1, SchemaMismatch: 3, NonNumeric: 1, MissingImage: 1, EmptyIdentity: 1 });
  });
});
