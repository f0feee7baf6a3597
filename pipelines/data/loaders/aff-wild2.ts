/**
 * Aff-Wild2 VA annotations: one `<video>.txt` per video in `annotationDir`, a header line
 * (`valence,arousal`), then one `v,a` line per frame; -5 marks an invalid frame (always skipped,
 * counted 'InvalidLabel'). Data line i (1-based) is frame `<framesDir>/<video>/<i as 00001>.jpg`
 * (the `cropped_aligned` release). Identity = the video name; videos with two people carry
 * `_left`/`_right` suffixes, which are different identities and are kept distinct.
 * Aff-Wild2 lacks crops for frames where detection failed: run with onBadRecord 'skip' there.
 */
import * as path from 'node:path';
import { readdir } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { dataError } from '../data-error.js';
import { csvRows, parseNumber } from '../csv-lines.js';
import { BadRecords, type RecordStream } from '../record-stream.js';
import { checkVa, missingImage, unreadable, type CommonLoaderOptions } from './loader-common.js';

export interface AffWild2Options extends CommonLoaderOptions {
  /** Folder of `<video>.txt` VA files (e.g. `annotations/VA_Estimation_Challenge/Train_Set`). */
  readonly annotationDir: string;
  /** The `cropped_aligned` folder holding `<video>/00001.jpg`. */
  readonly framesDir: string;
  /** Frame file extension. Default 'jpg'. */
  readonly frameExt?: string;
}

export const AFF_WILD2_INVALID = -5;

export const affWild2FrameName = (index1: number, ext = 'jpg') => `${String(index1).padStart(5, '0')}.${ext}`;

export async function* loadAffWild2(o: AffWild2Options): RecordStream {
  const bad = new BadRecords(o.onBadRecord ?? 'error');
  let files: string[];
  try {
    files = (await readdir(o.annotationDir)).filter((f) => f.endsWith('.txt')).sort();
  } catch (err) {
    return E.left(unreadable(o.annotationDir, err));
  }
  for (const f of files) {
    const file = path.join(o.annotationDir, f);
    const video = f.slice(0, -4);
    let usable = 0;
    let header = true;
    let frame = 0;
    try {
      for await (const { line, fields } of csvRows(file)) {
        if (header) {
          const names = fields.map((x) => x.trim().toLowerCase());
          if (names[0] !== 'valence' || names[1] !== 'arousal') {
            const stop = bad.reject(dataError('MissingColumn', file, `header must be 'valence,arousal', got '${fields.join(',')}'`, line));
            if (stop) return stop;
            break; // this video is unusable (already counted); `header` stays true so it is not also counted empty
          }
          header = false;
          continue;
        }
        frame++;
        const v = parseNumber(fields[0]),
          a = parseNumber(fields[1]);
        if (v === AFF_WILD2_INVALID || a === AFF_WILD2_INVALID) {
          bad.skip(dataError('InvalidLabel', file, 'frame marked invalid (-5)', line));
          continue;
        }
        const image = path.join(o.framesDir, video, affWild2FrameName(frame, o.frameExt));
        const problem =
          (fields.length !== 2 ? dataError('SchemaMismatch', file, `expected 2 fields, got ${fields.length}`, line) : undefined) ??
          checkVa(v, a, fields[0] ?? '', fields[1] ?? '', 1, file, line) ??
          (o.checkImages === false ? undefined : await missingImage(image, file, line));
        if (problem) {
          const stop = bad.reject(problem);
          if (stop) return stop;
          continue;
        }
        usable++;
        yield { source: image, valence: v!, arousal: a!, identity: video, clip: video, frame };
      }
    } catch (err) {
      return E.left(unreadable(file, err));
    }
    if (usable === 0 && !header) {
      const stop = bad.reject(dataError('EmptyIdentity', file, `video '${video}' has no usable frame`));
      if (stop) return stop;
    }
  }
  return bad.done();
}
