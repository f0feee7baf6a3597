/** Pieces every loader shares: option defaults, image existence checks, VA range checks. */
import { access, constants } from 'node:fs/promises';
import { dataError, type BadRecordPolicy, type DataError } from '../data-error.js';

export interface CommonLoaderOptions {
  /** 'error' stops at the first bad record with a DataError; 'skip' counts it and goes on. Default 'error'. */
  readonly onBadRecord?: BadRecordPolicy;
  /** Check that each image file exists while loading (one access() per record). Default true. */
  readonly checkImages?: boolean;
}

export const isReadable = async (path: string): Promise<boolean> => {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

/** A missing-image error for `image`, referenced from `file:line`. */
export const missingImage = async (image: string, file: string, line?: number): Promise<DataError | undefined> =>
  (await isReadable(image)) ? undefined : dataError('MissingImage', file, `image not found or unreadable: ${image}`, line);

/** Non-numeric or out-of-range VA as a DataError, else undefined. `scale` maps the format's range onto [-1, 1]. */
export const checkVa = (
  v: number | undefined,
  a: number | undefined,
  rawV: string,
  rawA: string,
  range: number,
  file: string,
  line?: number,
): DataError | undefined => {
  if (v === undefined || a === undefined)
    return dataError('NonNumeric', file, `valence/arousal not numeric: '${rawV}', '${rawA}'`, line);
  if (Math.abs(v) > range || Math.abs(a) > range)
    return dataError('OutOfRange', file, `valence/arousal (${v}, ${a}) outside [-${range}, ${range}]`, line);
  return undefined;
};

export const unreadable = (file: string, err: unknown): DataError =>
  dataError('Unreadable', file, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
