/**
 * Benchmark result rows, written as JSON to bench/results/<name>.json atomically (a temp file
 * renamed over the target, so a reader never sees half a file).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ResultRow {
  /** What was measured, e.g. 'matmul 512' or 'conv2d fwd b64 128->128 16x16 3x3'. */
  readonly workload: string;
  /** Who ran it, e.g. 'elim-cpu-fast t2' or 'torch-cpu t1'. */
  readonly engine: string;
  /** e.g. 'gflops', 'ms', 'cpu_per_wall'. */
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

export interface ResultsFile {
  readonly benchmark: string;
  readonly date: string;
  readonly machine: string;
  readonly notes: readonly string[];
  readonly rows: readonly ResultRow[];
}

/** Writes `file` as pretty JSON to `path` via a temp file + rename. */
export const writeJsonAtomic = (path: string, value: unknown): void => {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
};

/**
 * `path` gets the plain list of rows (the format every benchmark shares, easy to load and
 * compare); the run's context (date, machine load, notes) goes beside it to `<name>.meta.json`.
 */
export const writeResults = (path: string, file: ResultsFile): void => {
  const { rows, ...meta } = file;
  writeJsonAtomic(path.replace(/\.json$/, '.meta.json'), meta);
  writeJsonAtomic(path, rows);
};
