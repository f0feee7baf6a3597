/**
 * How loaders hand records over: an async generator (bounded memory: one CSV line or one clip at
 * a time) whose *return value* is the outcome, `Right(summary of skips)` or `Left(first error)`.
 * A plain `for await` would drop that outcome, so consumers go through `forEachRecord` or
 * `collectRecords`, which turn it into a TaskEither.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { SkipCounter, type BadRecordPolicy, type DataError, type SkipSummary } from './data-error.js';
import type { FaceRecord } from './face-record.js';

export type RecordStream = AsyncGenerator<FaceRecord, E.Either<DataError, SkipSummary>, undefined>;

export interface LoadedRecords {
  readonly records: readonly FaceRecord[];
  readonly summary: SkipSummary;
}

/** Streams every record into `f` (awaited, so a slow consumer applies back-pressure). */
export const forEachRecord =
  (stream: () => RecordStream, f: (r: FaceRecord) => void | Promise<void>): TE.TaskEither<DataError, SkipSummary> =>
  async () => {
    const it = stream();
    for (;;) {
      const step = await it.next();
      if (step.done) return step.value;
      await f(step.value);
    }
  };

/** All records in memory: for splits and samplers, which need the whole index (records are small; pixels are not loaded). */
export const collectRecords = (stream: () => RecordStream): TE.TaskEither<DataError, LoadedRecords> => {
  const records: FaceRecord[] = [];
  return TE.map((summary: SkipSummary) => ({ records, summary }))(forEachRecord(stream, (r) => void records.push(r)));
};

/**
 * The per-run policy object a loader consults on every bad record: `reject(e)` returns the
 * `Left` to stop with under 'error', or undefined after counting the skip under 'skip'.
 * Format-defined invalid markers and caller filters are always skipped (`skip(e)`), never errors.
 */
export class BadRecords {
  private readonly counter = new SkipCounter();
  constructor(private readonly policy: BadRecordPolicy) {}

  reject(e: DataError): E.Either<DataError, never> | undefined {
    if (this.policy === 'error') return E.left(e);
    this.counter.add(e);
    return undefined;
  }

  skip(e: DataError): void {
    this.counter.add(e);
  }

  done(): E.Either<DataError, SkipSummary> {
    return E.right(this.counter.summary());
  }
}
