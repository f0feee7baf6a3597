/**
 * AFEW-VA: clip folders `001/` ... under `root`, each with frames `00000.png` ... and `001.json`:
 * `{ "frames": { "00000": { "valence", "arousal", "landmarks": [[x, y] x 68] } }, "actor"? }`.
 * VA is in [-10, 10] and is divided by 10. The 68 landmarks give the face box, grown by
 * `margin` and made square. Identity = the clip (default) or its `actor` field (falling back to
 * the clip where a JSON has none). One clip is buffered at a time (a few hundred small records).
 */
import * as path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { dataError, type DataError } from '../data-error.js';
import { BadRecords, type RecordStream } from '../record-stream.js';
import { boxAround, type FaceRecord } from '../face-record.js';
import { isReadable, unreadable, type CommonLoaderOptions } from './loader-common.js';

export interface AfewVaOptions extends CommonLoaderOptions {
  readonly root: string;
  readonly identity?: 'clip' | 'actor';
  /** Fraction of the landmark box added on each side. Default 0.2. */
  readonly margin?: number;
  /** Frame file extension. Default 'png'. */
  readonly frameExt?: string;
}

export const AFEW_VA_RANGE = 10;
export const AFEW_VA_LANDMARKS = 68;

export async function* loadAfewVa(o: AfewVaOptions): RecordStream {
  const bad = new BadRecords(o.onBadRecord ?? 'error');
  let clips: string[];
  try {
    const entries = await readdir(o.root, { withFileTypes: true });
    clips = entries
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch (err) {
    return E.left(unreadable(o.root, err));
  }
  for (const clip of clips) {
    const loaded = await loadClip(o, clip, bad);
    if (E.isLeft(loaded)) return loaded;
    for (const r of loaded.right) yield r;
  }
  return bad.done();
}

/** One clip's usable frames, or the Left that stops the stream (policy 'error'). */
const loadClip = async (o: AfewVaOptions, clip: string, bad: BadRecords): Promise<E.Either<DataError, FaceRecord[]>> => {
  const dir = path.join(o.root, clip);
  const file = path.join(dir, `${clip}.json`);
  const rejectClip = (e: DataError) => bad.reject(e) ?? E.right([]);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const tag = err instanceof SyntaxError ? 'SchemaMismatch' : 'Unreadable';
    return rejectClip(dataError(tag, file, err instanceof Error ? err.message : String(err)));
  }
  const top = topLevel(json);
  if (typeof top === 'string') return rejectClip(dataError('SchemaMismatch', file, top));
  const identity = o.identity === 'actor' && top.actor !== undefined ? String(top.actor) : clip;
  const out: FaceRecord[] = [];
  for (const key of Object.keys(top.frames).sort()) {
    const r = await frameRecord(o, dir, file, clip, identity, key, top.frames[key]);
    if ('_tag' in r) {
      const stop = bad.reject(r);
      if (stop) return stop;
      continue;
    }
    out.push(r);
  }
  if (out.length === 0) return rejectClip(dataError('EmptyIdentity', file, `clip '${clip}' has no usable frame`));
  return E.right(out);
};

const topLevel = (json: unknown): { frames: Record<string, unknown>; actor?: unknown } | string => {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'top level is not an object';
  const frames = (json as { frames?: unknown }).frames;
  if (typeof frames !== 'object' || frames === null || Array.isArray(frames)) return "missing object 'frames'";
  return json as { frames: Record<string, unknown>; actor?: unknown };
};

const frameRecord = async (
  o: AfewVaOptions,
  dir: string,
  file: string,
  clip: string,
  identity: string,
  key: string,
  f: unknown,
): Promise<FaceRecord | DataError> => {
  const where = `frames["${key}"]`;
  if (typeof f !== 'object' || f === null) return dataError('SchemaMismatch', file, `${where} is not an object`);
  const { valence, arousal, landmarks } = f as { valence?: unknown; arousal?: unknown; landmarks?: unknown };
  if (typeof valence !== 'number' || typeof arousal !== 'number' || !Number.isFinite(valence) || !Number.isFinite(arousal))
    return dataError('NonNumeric', file, `${where}: valence/arousal must be numbers, got ${JSON.stringify(valence)}, ${JSON.stringify(arousal)}`);
  if (Math.abs(valence) > AFEW_VA_RANGE || Math.abs(arousal) > AFEW_VA_RANGE)
    return dataError('OutOfRange', file, `${where}: valence/arousal (${valence}, ${arousal}) outside [-10, 10]`);
  if (!isLandmarks(landmarks)) return dataError('SchemaMismatch', file, `${where}: landmarks must be ${AFEW_VA_LANDMARKS} [x, y] number pairs`);
  const image = path.join(dir, `${key}.${o.frameExt ?? 'png'}`);
  if (o.checkImages !== false && !(await isReadable(image))) return dataError('MissingImage', file, `${where}: image not found or unreadable: ${image}`);
  return {
    source: image,
    valence: valence / AFEW_VA_RANGE,
    arousal: arousal / AFEW_VA_RANGE,
    identity,
    clip,
    frame: Number.parseInt(key, 10),
    crop: boxAround(landmarks, o.margin ?? 0.2),
  };
};

const isLandmarks = (x: unknown): x is [number, number][] =>
  Array.isArray(x) &&
  x.length === AFEW_VA_LANDMARKS &&
  x.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]));
