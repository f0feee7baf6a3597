/**
 * Data errors as values. Every loader and the image pipeline report a bad input either as a
 * `DataError` (policy 'error': the first one stops the stream) or as a counted skip (policy
 * 'skip': reported in a `SkipSummary`, never silent). The caller chooses with `onBadRecord`.
 */
export type DataErrorTag =
  | 'MissingImage' // the record names an image that does not exist or cannot be read
  | 'CorruptImage' // the file exists but does not decode as PNG/JPEG
  | 'MissingColumn' // a CSV header lacks a column the format needs
  | 'NonNumeric' // a numeric field holds something else
  | 'OutOfRange' // valence/arousal outside the format's range (after its invalid markers are handled)
  | 'InvalidLabel' // the format's own "invalid" marker (AffectNet -2, Aff-Wild2 -5): skipped, counted
  | 'SchemaMismatch' // JSON that does not match the AFEW-VA schema, or a malformed line
  | 'EmptyIdentity' // an identity (clip, video) with no usable frame
  | 'OutsideRoot' // an image path that leaves the data root (allowed only on request)
  | 'EmptySplit' // a train or held-out split with no image left: metrics over it would be meaningless
  | 'Excluded' // a valid record the caller's filter leaves out (e.g. AffectNet expression 10, no face): counted
  | 'Unreadable'; // a file or directory that cannot be opened at all

export interface DataError {
  readonly _tag: DataErrorTag;
  /** The file the problem is in (CSV, JSON, label text or image). */
  readonly file: string;
  /** 1-based line in `file` where it applies (CSV/label files); absent for images and JSON. */
  readonly line?: number;
  readonly message: string;
}

export type BadRecordPolicy = 'error' | 'skip';

/** Counts of skipped records by reason; `total` is their sum. */
export interface SkipSummary {
  readonly total: number;
  readonly byReason: Partial<Record<DataErrorTag, number>>;
  /** The first few skips in full, so a user can find them (at most `SAMPLE_LIMIT`). */
  readonly examples: readonly DataError[];
}

export const SAMPLE_LIMIT = 10;

export const dataError = (tag: DataErrorTag, file: string, message: string, line?: number): DataError =>
  line === undefined ? { _tag: tag, file, message } : { _tag: tag, file, line, message };

/** `file:line: message [Tag]`, the form printed by the CLI. */
export const formatDataError = (e: DataError): string => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message} [${e._tag}]`;

/** A mutable tally kept by one loader run; `summary()` freezes it. */
export class SkipCounter {
  private readonly counts: Partial<Record<DataErrorTag, number>> = {};
  private readonly kept: DataError[] = [];
  private n = 0;

  add(e: DataError): void {
    this.counts[e._tag] = (this.counts[e._tag] ?? 0) + 1;
    if (this.kept.length < SAMPLE_LIMIT) this.kept.push(e);
    this.n++;
  }

  summary(): SkipSummary {
    return { total: this.n, byReason: { ...this.counts }, examples: [...this.kept] };
  }
}

export const emptySummary = (): SkipSummary => ({ total: 0, byReason: {}, examples: [] });

/** Adds two summaries (e.g. loading skips and decoding skips). */
export const mergeSummaries = (a: SkipSummary, b: SkipSummary): SkipSummary => {
  const byReason: Partial<Record<DataErrorTag, number>> = { ...a.byReason };
  for (const [k, v] of Object.entries(b.byReason) as [DataErrorTag, number][]) byReason[k] = (byReason[k] ?? 0) + v;
  return { total: a.total + b.total, byReason, examples: [...a.examples, ...b.examples].slice(0, SAMPLE_LIMIT) };
};
