/**
 * ElimConfig: every knob of the ELIM term. The options themselves (kind, default, provenance,
 * note, flag) are declared once, in pipelines/options/elim-options.ts; this module derives from
 * that schema the type, `DEFAULT_CONFIG`, `validateConfig` and `describeConfig`, and holds the
 * presets. `RELEASE_PRESET` reproduces the release's behaviour.
 *
 * `elim options` prints `describeConfig()`; `validateConfig` turns bad values into an
 * `InvalidConfig` error naming the field before any math runs.
 */
import * as E from 'fp-ts/lib/Either.js';
import { invalidConfig, type ElimError } from './errors.js';
import { ELIM_OPTIONS } from './options/elim-options.js';
import { describeKind } from './options/kinds.js';
import { defaultsOf, firstBadValue, flagNamesOf, getPath, leaves, overlay, type Infer, type Provenance } from './options/schema.js';

export { ELIM_OPTIONS };
export type { Provenance };

/** Every ELIM option (the type of ELIM_OPTIONS' values; each field documented there). */
export type ElimConfig = Infer<typeof ELIM_OPTIONS>;
export type TransportConfig = ElimConfig['transport'];
export type AttentionConfig = ElimConfig['attention'];
export type LossConfig = ElimConfig['loss'];
export type WarmupConfig = ElimConfig['warmup'];
export type Sampling = ElimConfig['sampling'];
export type Singletons = ElimConfig['singletons'];
export type Cost = TransportConfig['cost'];
export type Relevance = TransportConfig['relevance'];
export type SinkhornForm = TransportConfig['solver'];
export type ShiftMode = ElimConfig['shift'];
export type ProjectorCalls = ElimConfig['projectorCalls'];
export type Matching = ElimConfig['matching'];
export type StepMode = ElimConfig['steps'];

export const DEFAULT_CONFIG: ElimConfig = defaultsOf(ELIM_OPTIONS);

/** A deep-partial override: `{ transport: { lambda: 10 } }` keeps every other transport field. */
export type ConfigOverrides = {
  readonly [K in keyof ElimConfig]?: ElimConfig[K] extends object ? Partial<ElimConfig[K]> : ElimConfig[K];
};

export const makeConfig = (o: ConfigOverrides = {}, base: ElimConfig = DEFAULT_CONFIG): ElimConfig => overlay(ELIM_OPTIONS, base, o);

/** The release's behaviour where it differs from the defaults (its published run script also uses sampling 'none'). */
export const RELEASE_PRESET: ConfigOverrides = {
  shift: 'scalar',
  projectorCalls: 'per-identity',
  loss: { mainScale: 0.5, includeAnchor: true },
  steps: 'two-step',
  transport: { releaseMassGuard: true },
};

/** eta = 1 / lambda (the appendix's spelling of the same knob). */
export const withEta = (eta: number): ConfigOverrides => ({ transport: { lambda: 1 / eta } });

export interface OptionInfo {
  readonly path: string;
  readonly default: unknown;
  readonly values: string;
  readonly provenance: Provenance;
  readonly note: string;
  /** The command-line flags that set it (`elim train`, `elim compare`, config files, variants). */
  readonly flags: readonly string[];
}

/** Every option, its value in `c` (the defaults unless given), its values and provenance: `elim options` and the docs. */
export const describeConfig = (c: ElimConfig = DEFAULT_CONFIG): readonly OptionInfo[] =>
  leaves(ELIM_OPTIONS).map((l) => ({
    path: l.path,
    default: getPath(c, l.path),
    values: l.opt.values ?? describeKind(l.opt.kind),
    provenance: l.opt.provenance,
    note: l.opt.note,
    flags: flagNamesOf(l).map((f) => `--${f}`),
  }));

/** What must hold between options (each option's own domain is its kind in the schema). */
const RELATIONS: ReadonlyArray<(c: ElimConfig) => readonly [string, string] | undefined> = [
  (c) => (c.anchors >= c.domains ? ['anchors', `must be < domains (${c.domains}), got ${c.anchors}`] : undefined),
];

/** Checks every option against its kind, then the relations; the first violation, naming the field, is returned. */
export const validateConfig = (c: ElimConfig): E.Either<ElimError, ElimConfig> => {
  const bad = firstBadValue(ELIM_OPTIONS, c) ?? RELATIONS.map((r) => r(c)).find((x) => x !== undefined);
  return bad ? E.left(invalidConfig('config', bad[0], bad[1])) : E.right(c);
};

/** The warm-up factor t on L_main at a (0-based) iteration: 0 before w1, iteration/w2 until w2, then 1. */
export const warmupFactor = (w: WarmupConfig, iteration: number): number => (iteration < w.w1 ? 0 : iteration < w.w2 ? iteration / w.w2 : 1);
