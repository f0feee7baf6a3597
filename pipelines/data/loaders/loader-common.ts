/** Pieces every loader shares: option defaults, image existence checks, VA range checks. */
import { access, constants, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { dataError, type BadRecordPolicy, type DataError } from '../data-error.js';

export interface CommonLoaderOptions {
  /** 'error' stops at the first bad record with a DataError; 'skip' counts it and goes on. Default 'error'. */
  readonly onBadRecord?: BadRecordPolicy;
  /** Check that each image file exists while loading (one access() per record). Default true. */
  readonly checkImages?: boolean;
  /** Image paths may leave the data root (`..`, absolute paths). Default false: such a record is refused. */
  readonly allowOutsideRoot?: boolean;
}

/** Why an image path cannot be read as an image file: missing, unreadable, or not a regular file. */
const imageFileProblem = async (image: string): Promise<string | undefined> => {
  try {
    const st = await stat(image);
    // a device (/dev/zero) would be read without end, a FIFO would block: only regular files are images
    if (!st.isFile()) return `not a regular file: ${image}`;
    await access(image, constants.R_OK);
    return undefined;
  } catch {
    return `image not found or unreadable: ${image}`;
  }
};

export const isReadable = async (image: string): Promise<boolean> => (await imageFileProblem(image)) === undefined;

/** A missing-image error for `image`, referenced from `file:line`. */
export const missingImage = async (image: string, file: string, line?: number): Promise<DataError | undefined> => {
  const problem = await imageFileProblem(image);
  return problem ? dataError('MissingImage', file, problem, line) : undefined;
};

/**
 * A path in a label file that leaves its data root (`../../etc/passwd`, an absolute path) is
 * refused unless the caller allows it: a label file should not reach the rest of the disk, and
 * its first segment (the identity) would be `..`.
 */
export const outsideRoot = (root: string, rel: string, o: CommonLoaderOptions, file: string, line?: number): DataError | undefined => {
  if (o.allowOutsideRoot) return undefined;
  const r = path.relative(path.resolve(root), path.resolve(root, rel));
  return r === '' || r === '..' || r.startsWith(`..${path.sep}`) || path.isAbsolute(r)
    ? dataError('OutsideRoot', file, `image path '${rel}' leaves the data root ${root} (--allow-outside-root to permit)`, line)
    : undefined;
};

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
  if (v === undefined || a === undefined) return dataError('NonNumeric', file, `valence/arousal not numeric: '${rawV}', '${rawA}'`, line);
  if (Math.abs(v) > range || Math.abs(a) > range) return dataError('OutOfRange', file, `valence/arousal (${v}, ${a}) outside [-${range}, ${range}]`, line);
  return undefined;
};

export const unreadable = (file: string, err: unknown): DataError =>
  dataError('Unreadable', file, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
