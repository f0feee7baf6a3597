/**
 * The ELIM release's generic CSV: a header `path,valence,arousal` (extra columns ignored), VA in
 * [-1, 1], paths relative to `imageRoot`. Identity = the path's first segment (the release's
 * convention: one folder per video/subject); clip = the path's directory.
 */
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { dataError } from '../data-error.js';
import { csvRows, headerIndex, headerProblem, parseNumber } from '../csv-lines.js';
import { BadRecords, type RecordStream } from '../record-stream.js';
import { checkVa, missingImage, outsideRoot, unreadable, type CommonLoaderOptions } from './loader-common.js';

export interface GenericCsvOptions extends CommonLoaderOptions {
  readonly csv: string;
  /** Directory image paths are relative to. Default: the CSV's directory. */
  readonly imageRoot?: string;
}

export const GENERIC_COLUMNS = ['path', 'valence', 'arousal'] as const;

export async function* loadGenericCsv(o: GenericCsvOptions): RecordStream {
  const bad = new BadRecords(o.onBadRecord ?? 'error');
  const root = o.imageRoot ?? path.dirname(o.csv);
  let col: Map<string, number> | undefined;
  try {
    for await (const { line, fields } of csvRows(o.csv)) {
      if (!col) {
        col = headerIndex(fields);
        // A header without the needed columns (or with two of one) makes every row unusable: always an error.
        const unusable = headerProblem(fields, GENERIC_COLUMNS);
        if (unusable) return E.left(dataError('MissingColumn', o.csv, unusable, line));
        continue;
      }
      const rel = (fields[col.get('path')!] ?? '').trim();
      const rawV = fields[col.get('valence')!] ?? '',
        rawA = fields[col.get('arousal')!] ?? '';
      const v = parseNumber(rawV),
        a = parseNumber(rawA);
      const problem =
        (rel === '' ? dataError('SchemaMismatch', o.csv, 'empty path', line) : undefined) ??
        checkVa(v, a, rawV, rawA, 1, o.csv, line) ??
        outsideRoot(root, rel, o, o.csv, line) ??
        (o.checkImages === false ? undefined : await missingImage(path.resolve(root, rel), o.csv, line));
      if (problem) {
        const stop = bad.reject(problem);
        if (stop) return stop;
        continue;
      }
      const segments = rel.split(/[\\/]/);
      yield {
        source: path.resolve(root, rel),
        valence: v!,
        arousal: a!,
        identity: segments[0],
        clip: segments.slice(0, -1).join('/') || segments[0],
      };
    }
  } catch (err) {
    return E.left(unreadable(o.csv, err));
  }
  if (!col) return E.left(dataError('MissingColumn', o.csv, 'empty file: no header'));
  return bad.done();
}
