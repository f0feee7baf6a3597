import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { synthesizeDataset } from './write-synthetic.js';
import { collectRecords } from '../record-stream.js';
import { loadGenericCsv } from '../loaders/generic-csv.js';
import { loadAfewVa } from '../loaders/afew-va.js';
import { tempDir } from '../loaders/fixtures.test-helpers.js';
import { expressionGeometry } from './render-face.js';

describe('synthesizeDataset (writer) read back by the real loaders', () => {
  it('writes generic CSV + AFEW-VA layouts, splits and a contact sheet', async () => {
    const out = await tempDir('synth');
    const w = await synthesizeDataset({ seed: 4, identities: 5, heldOut: 2, frames: 6, out, afewVa: true })();
    if (E.isLeft(w)) throw new Error(w.left.message);
    expect(w.right.images).toBe(30);
    const generic = await collectRecords(() => loadGenericCsv({ csv: w.right.csv }))();
    if (E.isLeft(generic)) throw new Error(generic.left.message);
    expect(generic.right.records).toHaveLength(30);
    expect(new Set(generic.right.records.map((r) => r.identity))).toEqual(new Set(['id000', 'id001', 'id002', 'id003', 'id004']));
    const ds = w.right.dataset;
    generic.right.records.forEach((r, i) => expect(r.valence).toBeCloseTo(ds.records[i].valence, 4));
    const afew = await collectRecords(() => loadAfewVa({ root: w.right.afewVaRoot!, identity: 'actor' }))();
    if (E.isLeft(afew)) throw new Error(afew.left.message);
    expect(afew.right.records).toHaveLength(30);
    expect(afew.right.records[7]).toMatchObject({ identity: 'id001', clip: '002', frame: 1 });
    expect(afew.right.records[7].arousal).toBeCloseTo(ds.records[7].arousal, 3);
    const crop = afew.right.records[7].crop!;
    expect(crop.width).toBeGreaterThan(20); // the landmark box covers most of a 64 px face
    expect(crop.width).toBeLessThan(80);
    const splits = JSON.parse(await readFile(w.right.splits, 'utf8'));
    expect(splits.heldOut).toEqual(['id003', 'id004']);
    expect((await stat(w.right.contactSheet)).size).toBeGreaterThan(1000);
    expect(path.basename(w.right.contactSheet)).toBe('contact-sheet.png');
  });

  it('expression cues move the right way', () => {
    const happy = expressionGeometry(0.8, 0.2),
      sad = expressionGeometry(-0.7, -0.5),
      excited = expressionGeometry(0.2, 0.9);
    expect(happy.smile).toBeGreaterThan(0);
    expect(sad.smile).toBeLessThan(0);
    expect(sad.innerBrowUp).toBeGreaterThan(0);
    expect(excited.open).toBeGreaterThan(sad.open);
    expect(excited.eyeOpen).toBeGreaterThan(sad.eyeOpen);
  });
});
