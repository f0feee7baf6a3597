/**
 * Env: what every stage reads (the Reader part of a stage), and nothing else: the configuration,
 * a random key, and a logger. Nothing here is global or mutable: two pipelines with different
 * Envs can run side by side, and running a step twice with the same Env and inputs gives the
 * same outputs (the key is a value; each run forks its streams afresh from it).
 *
 * No backend: a stage computes on the backend of its input tensors (every tensor it makes is
 * made like one of them: `{ dtype: z.dtype, backend: z.backend }`), so a backend in the Env
 * could only disagree with the data. The caller chooses the backend where it makes its tensors.
 *
 * Randomness: `rngKey` is an Rng state. A step forks one child stream per consumer from a fresh
 * generator at that key (`forkStreams`), in a fixed order, so adding a consumer or skipping a
 * stage (a Skipped batch draws no Gumbel noise) never shifts another consumer's numbers. A loop
 * gives each iteration its own key (`withRng`; the trainer derives one from (seed, iteration)).
 */
import { Rng, type RngState } from '../lib/rng/rng.js';
import { DEFAULT_CONFIG, type ElimConfig } from './config.js';

export type LogLevel = 'debug' | 'info' | 'warn';

export interface Logger {
  readonly log: (level: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>) => void;
}

export const silentLogger: Logger = { log: () => undefined };

export interface LogRecord {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Collects records in memory (tests, and callers that summarise a step's log themselves). */
export const memoryLogger = (): Logger & { readonly records: LogRecord[] } => {
  const records: LogRecord[] = [];
  return { records, log: (level, message, fields) => void records.push({ level, message, fields }) };
};

export interface Env {
  readonly config: ElimConfig;
  /** The state a step's random streams are forked from (never advanced: see forkStreams). */
  readonly rngKey: RngState;
  readonly logger: Logger;
}

export interface EnvOptions {
  readonly config?: ElimConfig;
  /** Key from a seed (default 0) ... */
  readonly seed?: number;
  /** ... or an explicit key (an Rng's `state()`). */
  readonly rngKey?: RngState;
  readonly logger?: Logger;
}

export const makeEnv = (o: EnvOptions = {}): Env => ({
  config: o.config ?? DEFAULT_CONFIG,
  rngKey: o.rngKey ?? Rng.fromSeed(o.seed ?? 0).state(),
  logger: o.logger ?? silentLogger,
});

/** The per-step random streams, forked in this fixed order whatever the step then does. */
export interface StepStreams {
  readonly group: Rng;
  readonly sample: Rng;
  readonly project: Rng;
}

/** Fresh streams from the Env's key: the same Env gives the same streams on every call. */
export const forkStreams = (env: Env): StepStreams => {
  const root = new Rng(env.rngKey);
  const group = root.fork();
  const sample = root.fork();
  const project = root.fork();
  return { group, sample, project };
};

/** The same Env with another config (a stage may run under a local override). */
export const withConfig = (env: Env, config: ElimConfig): Env => ({ ...env, config });

/** The same Env keyed by `rng`'s next child (advances `rng`, which the caller owns): one key per iteration of a loop. */
export const withRng = (env: Env, rng: Rng): Env => ({ ...env, rngKey: rng.fork().state() });
