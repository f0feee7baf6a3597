/**
 * Env: what every stage reads (the Reader part of a stage). Configuration, the backend new
 * tensors go to, a seeded random stream, and a logger. Nothing here is global: two pipelines
 * with different Envs can run side by side, and the same Env (same seed) gives the same result.
 *
 * The Rng is a mutable stream. Stages never draw from `env.rng` directly: a step forks one
 * child per consumer (`forkStreams`) in a fixed order, so adding a consumer or skipping a
 * stage (a Skipped batch draws no Gumbel noise) never shifts another consumer's numbers.
 */
import type { Backend } from '../lib/backend/backend.js';
import { Rng } from '../lib/rng/rng.js';
import { DEFAULT_CONFIG, type ElimConfig } from './config.js';

export type LogLevel = 'debug' | 'info' | 'warn';

export interface Logger {
  readonly log: (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;
}

export const silentLogger: Logger = { log: () => undefined };

/** Collects records in memory (tests, and the trainer's per-step summary). */
export const memoryLogger = (): Logger & { readonly records: Array<{ level: LogLevel; message: string; fields?: Readonly<Record<string, unknown>> }> } => {
  const records: Array<{ level: LogLevel; message: string; fields?: Readonly<Record<string, unknown>> }> = [];
  return { records, log: (level, message, fields) => void records.push({ level, message, fields }) };
};

export interface Env {
  readonly config: ElimConfig;
  readonly backend: Backend;
  readonly rng: Rng;
  readonly logger: Logger;
}

export interface EnvOptions {
  readonly config?: ElimConfig;
  readonly seed?: number;
  readonly rng?: Rng;
  readonly logger?: Logger;
}

export const makeEnv = (backend: Backend, o: EnvOptions = {}): Env => ({
  config: o.config ?? DEFAULT_CONFIG,
  backend,
  rng: o.rng ?? Rng.fromSeed(o.seed ?? 0),
  logger: o.logger ?? silentLogger,
});

/** The per-step random streams, forked in this fixed order whatever the step then does. */
export interface StepStreams {
  readonly group: Rng;
  readonly sample: Rng;
  readonly project: Rng;
}

export const forkStreams = (rng: Rng): StepStreams => {
  const group = rng.fork();
  const sample = rng.fork();
  const project = rng.fork();
  return { group, sample, project };
};

/** The same Env with another config (a stage may run under a local override). */
export const withConfig = (env: Env, config: ElimConfig): Env => ({ ...env, config });
