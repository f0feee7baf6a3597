/**
 * AffectNet's `training.csv` / `validation.csv`: columns subDirectory_filePath, face_x, face_y,
 * face_width, face_height, facial_landmarks, expression, valence, arousal (+ an optional
 * user-added `age` column for ELIM-Age). VA in [-1, 1]; -2 marks an invalid label and is always
 * skipped and counted ('InvalidLabel'). Expression codes 0-7 are emotions, 8 none, 9 uncertain,
 * 10 no-face; by default 10 is excluded (counted as 'Excluded') since there is no face to read.
 *
 * Identity: AffectNet has no person labels. The domain key defaults to the subdirectory (the
 * first segment of subDirectory_filePath): AffectNet's folders are upload batches, so this is a
 * weak stand-in for identity, kept because ELIM needs *some* grouping. For ELIM-Age choose
 * `identity: 'age-group'` (needs the age column): key = `age:<lo>-<hi>` in `ageGroupWidth`-year bins.
 */
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { dataError, type DataError } from '../data-error.js';
import { csvRows, headerIndex, headerProblem, parseNumber } from '../csv-lines.js';
import { BadRecords, type RecordStream } from '../record-stream.js';
import type { FaceRecord } from '../face-record.js';
import { checkVa, missingImage, outsideRoot, unreadable, type CommonLoaderOptions } from './loader-common.js';

export interface AffectNetOptions extends CommonLoaderOptions {
  readonly csv: string;
  /** Directory subDirectory_filePath is relative to (AffectNet's `Manually_Annotated_Images`). Default: the CSV's directory. */
  readonly imageRoot?: string;
  /** Expression codes to keep. Default 0-9 (10 = no face). */
  readonly expressions?: readonly number[];
  readonly identity?: 'subdirectory' | 'age-group';
  /** Years per bin for `identity: 'age-group'`. Default 10. */
  readonly ageGroupWidth?: number;
}

export const AFFECTNET_COLUMNS = ['subDirectory_filePath', 'face_x', 'face_y', 'face_width', 'face_height', 'expression', 'valence', 'arousal'] as const;

export const AFFECTNET_INVALID = -2;

export const ageGroupKey = (age: number, width = 10): string => {
  const lo = Math.floor(age / width) * width;
  return `age:${lo}-${lo + width - 1}`;
};

const DEFAULT_EXPRESSIONS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

export async function* loadAffectNet(o: AffectNetOptions): RecordStream {
  const bad = new BadRecords(o.onBadRecord ?? 'error');
  const root = o.imageRoot ?? path.dirname(o.csv);
  const keep = new Set(o.expressions ?? DEFAULT_EXPRESSIONS);
  const byAge = o.identity === 'age-group';
  let col: Map<string, number> | undefined;
  try {
    for await (const { line, fields } of csvRows(o.csv)) {
      if (!col) {
        col = headerIndex(fields);
        const need = byAge ? [...AFFECTNET_COLUMNS, 'age'] : AFFECTNET_COLUMNS;
        const problem = headerProblem(fields, need);
        if (problem) return E.left(dataError('MissingColumn', o.csv, problem, line));
        continue;
      }
      const get = (name: string) => fields[col!.get(name.toLowerCase())!] ?? '';
      const parsed = await parseRow(get, o, root, line, keep, byAge);
      if ('_tag' in parsed) {
        if (parsed._tag === 'InvalidLabel' || parsed._tag === 'Excluded') {
          bad.skip(parsed);
          continue;
        }
        const stop = bad.reject(parsed);
        if (stop) return stop;
        continue;
      }
      yield parsed;
    }
  } catch (err) {
    return E.left(unreadable(o.csv, err));
  }
  if (!col) return E.left(dataError('MissingColumn', o.csv, 'empty file: no header'));
  return bad.done();
}

const parseRow = async (
  get: (name: string) => string,
  o: AffectNetOptions,
  root: string,
  line: number,
  keep: ReadonlySet<number>,
  byAge: boolean,
): Promise<FaceRecord | DataError> => {
  const file = o.csv;
  const rel = get('subDirectory_filePath').trim();
  const rawV = get('valence'),
    rawA = get('arousal');
  const v = parseNumber(rawV),
    a = parseNumber(rawA);
  if (v === AFFECTNET_INVALID || a === AFFECTNET_INVALID) return dataError('InvalidLabel', file, 'valence/arousal marked invalid (-2)', line);
  const vaProblem = checkVa(v, a, rawV, rawA, 1, file, line);
  if (vaProblem) return vaProblem;
  const expression = parseNumber(get('expression'));
  if (expression === undefined) return dataError('NonNumeric', file, `expression not numeric: '${get('expression')}'`, line);
  if (!Number.isInteger(expression) || expression < 0 || expression > 10)
    return dataError('OutOfRange', file, `expression ${expression} not an integer in 0-10`, line);
  if (!keep.has(expression)) return dataError('Excluded', file, `expression ${expression} not kept`, line);
  const box = ['face_x', 'face_y', 'face_width', 'face_height'].map((c) => parseNumber(get(c)));
  if (box.some((b) => b === undefined))
    return dataError('NonNumeric', file, `face box not numeric: ${['face_x', 'face_y', 'face_width', 'face_height'].map(get).join(', ')}`, line);
  const [x, y, width, height] = box as number[];
  if (width <= 0 || height <= 0) return dataError('OutOfRange', file, `face box has non-positive size ${width}x${height}`, line);
  let age: number | undefined;
  if (byAge || get('age') !== '') {
    age = parseNumber(get('age'));
    if (age === undefined) return dataError('NonNumeric', file, `age not numeric: '${get('age')}'`, line);
    if (age < 0 || age > 130) return dataError('OutOfRange', file, `age ${age} outside 0-130`, line);
  }
  if (rel === '') return dataError('SchemaMismatch', file, 'empty subDirectory_filePath', line);
  const outside = outsideRoot(root, rel, o, file, line);
  if (outside) return outside;
  const source = path.resolve(root, rel);
  if (o.checkImages !== false) {
    const missing = await missingImage(source, file, line);
    if (missing) return missing;
  }
  const subdirectory = rel.split(/[\\/]/)[0];
  return {
    source,
    valence: v!,
    arousal: a!,
    identity: byAge ? ageGroupKey(age!, o.ageGroupWidth) : subdirectory,
    expression,
    crop: { x, y, width, height },
    ...(age !== undefined ? { age } : {}),
  };
};
