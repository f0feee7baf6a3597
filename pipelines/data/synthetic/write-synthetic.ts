/**
 * Writes a synthetic dataset to disk in the release's generic CSV layout (`labels.csv` with
 * `path,valence,arousal`, images at `<identity>/<frame>.png`, so identity = first path segment)
 * and optionally the AFEW-VA layout (`afew-va/001/00000.png` + `001.json` with VA x 10, the 68
 * landmarks and `actor` = identity), so the real loaders are exercised end to end. Also writes
 * `splits.json` (train / held-out identities, options) and `contact-sheet.png` (rows =
 * identities, columns = frames). `synthesizeDataset` = synthesizeInMemory + this writer.
 */
import * as path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { Jimp } from 'jimp';
import { dataError, type DataError } from '../data-error.js';
import { synthesizeInMemory, type InMemoryDataset, type SynthOptions } from './synthesize.js';

export interface WriteSyntheticOptions {
  readonly out: string;
  /** Also write the AFEW-VA layout under `<out>/afew-va`. Default false. */
  readonly afewVa?: boolean;
  /** Contact sheet size: identities (rows) x frames (columns). Default 12 x 10. */
  readonly sheetRows?: number;
  readonly sheetColumns?: number;
}

export interface WrittenSynthetic {
  readonly csv: string;
  readonly splits: string;
  readonly contactSheet: string;
  readonly afewVaRoot?: string;
  readonly images: number;
}

export const encodePng = async (rgba: Uint8Array, width: number, height: number): Promise<Buffer> => {
  const img = new Jimp({ width, height });
  img.bitmap.data.set(rgba);
  return img.getBuffer('image/png');
};

const frameFile = (f: number) => `${String(f).padStart(5, '0')}.png`;
const clipDir = (k: number) => String(k + 1).padStart(3, '0');

const writeAll = async (ds: InMemoryDataset, o: WriteSyntheticOptions): Promise<WrittenSynthetic> => {
  const S = ds.size,
    per = S * S * 4;
  const byIdentity = new Map(ds.identities.map((id, k) => [id.name, k]));
  for (const id of ds.identities) {
    await mkdir(path.join(o.out, id.name), { recursive: true });
    if (o.afewVa) await mkdir(path.join(o.out, 'afew-va', clipDir(byIdentity.get(id.name)!)), { recursive: true });
  }
  const lines = ['path,valence,arousal'];
  const CHUNK = 32; // bounded concurrency: a few dozen encodes and writes in flight
  for (let start = 0; start < ds.records.length; start += CHUNK) {
    const chunk = ds.records.slice(start, start + CHUNK).map(async (r, j) => {
      const i = start + j;
      const png = await encodePng(ds.rgba.subarray(i * per, (i + 1) * per), S, S);
      const rel = `${r.identity}/${frameFile(r.frame!)}`;
      await writeFile(path.join(o.out, rel), png);
      if (o.afewVa) await writeFile(path.join(o.out, 'afew-va', clipDir(byIdentity.get(r.identity)!), frameFile(r.frame!)), png);
      return `${rel},${r.valence.toFixed(5)},${r.arousal.toFixed(5)}`;
    });
    lines.push(...(await Promise.all(chunk)));
  }
  const csv = path.join(o.out, 'labels.csv');
  await writeFile(csv, lines.join('\n') + '\n');
  if (o.afewVa) await writeAfewJson(ds, o.out, byIdentity);
  const splits = path.join(o.out, 'splits.json');
  await writeFile(splits, JSON.stringify({ options: ds.options, train: ds.trainIdentities, heldOut: ds.heldOutIdentities }, null, 1));
  const contactSheet = path.join(o.out, 'contact-sheet.png');
  await writeFile(contactSheet, await contactSheetPng(ds, o.sheetRows ?? 12, o.sheetColumns ?? 10));
  return { csv, splits, contactSheet, images: ds.records.length, ...(o.afewVa ? { afewVaRoot: path.join(o.out, 'afew-va') } : {}) };
};

const writeAfewJson = async (ds: InMemoryDataset, out: string, byIdentity: Map<string, number>) => {
  const clips = new Map<string, Record<string, unknown>>();
  ds.records.forEach((r, i) => {
    const frames = clips.get(r.identity) ?? {};
    frames[frameFile(r.frame!).slice(0, 5)] = {
      valence: Math.round(r.valence * 10 * 1000) / 1000, // AFEW-VA's [-10, 10] scale
      arousal: Math.round(r.arousal * 10 * 1000) / 1000,
      landmarks: ds.landmarks[i].map(([x, y]) => [Math.round(x * 100) / 100, Math.round(y * 100) / 100]),
    };
    clips.set(r.identity, frames);
  });
  for (const [identity, frames] of clips) {
    const dir = clipDir(byIdentity.get(identity)!);
    await writeFile(path.join(out, 'afew-va', dir, `${dir}.json`), JSON.stringify({ actor: identity, frames }));
  }
};

/** Rows = the first `rows` identities, columns = `cols` frames spread over each clip; 2 px gaps. */
export const contactSheetPng = (ds: InMemoryDataset, rows: number, cols: number): Promise<Buffer> => {
  const S = ds.size,
    gap = 2,
    per = S * S * 4;
  const nIds = Math.min(rows, ds.identities.length),
    nF = Math.min(cols, ds.options.frames);
  const W = nF * (S + gap) + gap,
    H = nIds * (S + gap) + gap;
  const sheet = new Uint8Array(W * H * 4).fill(255);
  for (let r = 0; r < nIds; r++) {
    for (let c = 0; c < nF; c++) {
      const f = Math.floor((c * ds.options.frames) / nF);
      const src = (r * ds.options.frames + f) * per;
      for (let y = 0; y < S; y++) {
        const dst = ((gap + r * (S + gap) + y) * W + gap + c * (S + gap)) * 4;
        sheet.set(ds.rgba.subarray(src + y * S * 4, src + (y + 1) * S * 4), dst);
      }
    }
  }
  return encodePng(sheet, W, H);
};

export const writeSyntheticDataset = (ds: InMemoryDataset, o: WriteSyntheticOptions): TE.TaskEither<DataError, WrittenSynthetic> =>
  TE.tryCatch(
    () => writeAll(ds, o),
    (err) => dataError('Unreadable', o.out, `cannot write synthetic dataset: ${err instanceof Error ? err.message : String(err)}`),
  );

/** Generate and write: what `elim synth` runs. */
export const synthesizeDataset = (opts: SynthOptions & WriteSyntheticOptions): TE.TaskEither<DataError, WrittenSynthetic & { dataset: InMemoryDataset }> =>
  pipe(
    TE.fromIO(() => synthesizeInMemory(opts)),
    TE.chain((dataset) =>
      pipe(
        writeSyntheticDataset(dataset, opts),
        TE.map((w) => ({ ...w, dataset })),
      ),
    ),
  );
