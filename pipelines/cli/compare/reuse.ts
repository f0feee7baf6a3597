/**
 * `elim compare --reuse`: a finished run folder whose method, ELIM config, settings and data
 * match the run asked for is read back instead of trained again.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { makeConfig } from '../../config.js';
import type { VaMetrics } from '../../train/evaluate.js';
import type { DataSpec } from '../../train/load-data.js';
import type { RunOutputs } from '../../train/run.js';
import type { RunSpec } from '../../train/run-spec.js';

export /** What compare keeps of one run (from a fresh run, or from a reused run folder's metrics.json). */
interface RunRecord {
  readonly heldOut: VaMetrics;
  readonly train: VaMetrics;
  readonly validations: ReadonlyArray<{ readonly step: number; readonly metrics: VaMetrics }>;
  readonly seconds: number;
  readonly reused: boolean;
  readonly outputs?: RunOutputs;
  /** Held-out metrics after test-time identity matching (final step). */
  readonly heldOutMatched?: VaMetrics;
}

const canonical = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? JSON.stringify(v)
    : Array.isArray(v)
      ? `[${v.map(canonical).join(',')}]`
      : `{${Object.keys(v as object)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`;

/** A finished run folder with the same method, ELIM config, settings and data, or null. */
export const reusable = async (rs: RunSpec, data: DataSpec): Promise<RunRecord | null> => {
  try {
    const config = JSON.parse(await fs.readFile(path.join(rs.out, 'config.json'), 'utf8'));
    const metrics = JSON.parse(await fs.readFile(path.join(rs.out, 'metrics.json'), 'utf8'));
    const { description: _d, trainImages: _t, heldOutImages: _h, ...storedData } = config.data ?? {};
    // fields added to ElimConfig after a run was written take their defaults (which keep the old behaviour)
    const same =
      canonical({ m: config.method, e: makeConfig(config.elim ?? {}), s: config.settings, d: storedData }) ===
      canonical({ m: rs.method, e: rs.elim, s: rs.settings, d: data });
    if (!same || metrics.stopped || metrics.steps !== rs.settings.steps) return null;
    return {
      heldOut: metrics.heldOut.overall,
      train: metrics.train.overall,
      validations: metrics.validations ?? [],
      seconds: metrics.timings?.trainSeconds ?? 0,
      reused: true,
      heldOutMatched: metrics.heldOutMatched?.overall,
    };
  } catch {
    return null;
  }
};
