/**
 * ElimConfig: every knob of the ELIM term, with its default and where that default comes from.
 * Provenance: 'paper' = the NeurIPS 2022 paper / appendix (Alg. 1-4), 'release' = the authors'
 * public PyTorch code (ELIM_FER), 'here' = a choice of this project where the two disagree or
 * are silent (see docs: ELIM_SPEC.md). `RELEASE_PRESET` reproduces the release's behaviour.
 *
 * The CLI prints `describeConfig()` in `--help`; `validateConfig` turns bad values into an
 * `InvalidConfig` error before any math runs.
 */
import * as E from 'fp-ts/lib/Either.js';
import { invalidConfig, type ElimError } from './errors.js';

export type Sampling = 'gumbel' | 'max-filling' | 'none';
export type Singletons = 'duplicate' | 'drop';
export type Cost = 'cosine' | 'sqeuclidean';
export type Relevance = 'mean-dot' | 'norm';
export type SinkhornForm = 'scaling' | 'log';
/**
 * per-sample: mu_j = sum_i X_ij C_ij (one number per sample); scalar: the release's mu_0 for the
 * whole target. The vector shifts act on the latent's direction (issue #9):
 * - vector: mu_j = sum_i X_ij (z_j - z_i^a) / sum_i X_ij, the transport-weighted displacement of
 *   each target sample onto the anchor set. With strength 1, z_j - mu_j is exactly the OT
 *   barycentric projection of z_j onto the anchor (`barycentric` names that reading).
 * - identity-vector: one vector per target, mu = sum_ij X_ij (z_j - z_i^a) / sum_ij X_ij: the
 *   target's transport-weighted displacement from the anchor, removed from all of its samples
 *   (a translation of the target's cloud onto the anchor's; within-identity variation kept).
 */
export type ShiftMode = 'per-sample' | 'scalar' | 'vector' | 'identity-vector';
export type ProjectorCalls = 'joint' | 'per-identity';
export type Matching = 'sinkhorn' | 'attention';
export type StepMode = 'one-step' | 'two-step';

export interface TransportConfig {
  /** K = exp(-lambda C). The appendix writes K = exp(-C/eta) with "eta = 5"; the release multiplies by 5: lambda is the knob, `eta` its reciprocal spelling. */
  readonly lambda: number;
  /** Sinkhorn iterations T (a cap; `tolerance` may stop earlier). */
  readonly iterations: number;
  /** Stop when max |u - u_old| / max |u| falls below this (0: always run T iterations, as the release). */
  readonly tolerance: number;
  readonly cost: Cost;
  readonly relevance: Relevance;
  readonly solver: SinkhornForm;
  /** Reproduce the release's 1e-6 added only to the anchor's relevance normaliser (masses differ by ~1e-6). */
  readonly releaseMassGuard: boolean;
}

export interface AttentionConfig {
  /** Heads of both multi-head attention layers (must divide d). */
  readonly heads: number;
  /** Model width inside the attention block; d (the latent size) when null. */
  readonly width: number | null;
}

export interface LossConfig {
  /** Multiplies the whole ELIM term L_main (the release: 0.5). */
  readonly mainScale: number;
  /** Add the anchor's own un-normalised MSE term to L_main (the release does). */
  readonly includeAnchor: boolean;
  /** Weight of L_va. */
  readonly vaWeight: number;
  /** Weight of (L_PCC + L_CCC). */
  readonly corrWeight: number;
}

export interface WarmupConfig {
  /** The ELIM term is 0 before this iteration. */
  readonly w1: number;
  /** Then ramps as iteration / w2 until w2, then 1. */
  readonly w2: number;
}

export interface ElimConfig {
  /** false: the baseline objective only (elimStep then equals baselineStep). */
  readonly elim: boolean;
  /** N: domains (identities) drawn per batch; the first is the anchor. */
  readonly domains: number;
  /** What the domain key means; informational for logs (the data layer supplies the keys). */
  readonly domainKey: 'identity' | 'age-group' | string;
  readonly singletons: Singletons;
  readonly sampling: Sampling;
  /** Domains pooled into the anchor set (the first ones drawn); 1 = the paper's single anchor. At least one target always remains. */
  readonly anchors: number;
  /** k: samples kept per domain (capped at the domain's size). */
  readonly topk: number;
  /** Gumbel-softmax temperature. */
  readonly tau: number;
  readonly transport: TransportConfig;
  readonly matching: Matching;
  readonly attention: AttentionConfig;
  readonly shift: ShiftMode;
  /** alpha: the vector shifts subtract alpha * mu (1: the full displacement). Ignored by per-sample/scalar. */
  readonly shiftStrength: number;
  /** Skip the RMS rescaling after the shift (false: the paper's normalisation z~ = (z - mu) / rms). */
  readonly skipRms: boolean;
  /** Detach the ID shift from the gradient (the release does). */
  readonly detachShift: boolean;
  /** eps in z~ = (z - mu) / (sqrt(mean_d (z - mu)^2) + eps). */
  readonly normEps: number;
  readonly projectorCalls: ProjectorCalls;
  readonly loss: LossConfig;
  readonly warmup: WarmupConfig;
  readonly steps: StepMode;
}

export const DEFAULT_CONFIG: ElimConfig = {
  elim: true,
  domains: 10,
  domainKey: 'identity',
  singletons: 'duplicate',
  sampling: 'gumbel',
  anchors: 1,
  topk: 10,
  tau: 0.5,
  transport: { lambda: 5, iterations: 5, tolerance: 0, cost: 'cosine', relevance: 'mean-dot', solver: 'scaling', releaseMassGuard: false },
  matching: 'sinkhorn',
  attention: { heads: 4, width: null },
  shift: 'per-sample',
  shiftStrength: 1,
  skipRms: false,
  detachShift: true,
  normEps: 1e-6,
  projectorCalls: 'joint',
  loss: { mainScale: 1, includeAnchor: false, vaWeight: 1, corrWeight: 0.5 },
  warmup: { w1: 5, w2: 50 },
  steps: 'one-step',
};

/** A deep-partial override: `{ transport: { lambda: 10 } }` keeps every other transport field. */
export type ConfigOverrides = {
  readonly [K in keyof ElimConfig]?: ElimConfig[K] extends object ? Partial<ElimConfig[K]> : ElimConfig[K];
};

export const makeConfig = (o: ConfigOverrides = {}, base: ElimConfig = DEFAULT_CONFIG): ElimConfig => ({
  ...base,
  ...(o as Partial<ElimConfig>),
  transport: { ...base.transport, ...o.transport },
  attention: { ...base.attention, ...o.attention },
  loss: { ...base.loss, ...o.loss },
  warmup: { ...base.warmup, ...o.warmup },
});

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

export type Provenance = 'paper' | 'release' | 'paper+release' | 'here';

export interface OptionInfo {
  readonly path: string;
  readonly default: unknown;
  readonly values: string;
  readonly provenance: Provenance;
  readonly note: string;
}

/** Every option, its default and provenance: the CLI's `--help` table and the closing notes. */
export const describeConfig = (c: ElimConfig = DEFAULT_CONFIG): readonly OptionInfo[] => [
  { path: 'elim', default: c.elim, values: 'boolean', provenance: 'paper', note: 'ELIM term on; false = baseline objective' },
  { path: 'domains', default: c.domains, values: 'integer >= 2', provenance: 'release', note: 'N domains per batch (--no_domain 10); first = anchor' },
  { path: 'domainKey', default: c.domainKey, values: 'identity | age-group | any', provenance: 'paper', note: 'ELIM-Age uses age groups (appendix 4.4)' },
  { path: 'singletons', default: c.singletons, values: 'duplicate | drop', provenance: 'release', note: 'a key with one sample is duplicated by the release' },
  { path: 'sampling', default: c.sampling, values: 'gumbel | max-filling | none', provenance: 'paper', note: "Alg. 3; the release's run script uses none" },
  { path: 'anchors', default: c.anchors, values: 'integer >= 1', provenance: 'here', note: 'domains pooled into the anchor set (issue #9); 1 = paper' },
  { path: 'topk', default: c.topk, values: 'integer >= 1', provenance: 'release', note: 'k per domain, capped at its size' },
  { path: 'tau', default: c.tau, values: '> 0', provenance: 'release', note: 'Gumbel-softmax temperature (does not change which k win)' },
  {
    path: 'transport.lambda',
    default: c.transport.lambda,
    values: '> 0',
    provenance: 'release',
    note: 'K = exp(-lambda C); appendix eta = 1/lambda (withEta)',
  },
  { path: 'transport.iterations', default: c.transport.iterations, values: 'integer >= 1', provenance: 'paper+release', note: 'T = 5' },
  { path: 'transport.tolerance', default: c.transport.tolerance, values: '>= 0', provenance: 'here', note: '0 = always T iterations, as the release' },
  { path: 'transport.cost', default: c.transport.cost, values: 'cosine | sqeuclidean', provenance: 'paper+release', note: 'C = 1 - cos' },
  {
    path: 'transport.relevance',
    default: c.transport.relevance,
    values: 'mean-dot | norm',
    provenance: 'release',
    note: 'relevance_weighting = 1 (parser default)',
  },
  {
    path: 'transport.solver',
    default: c.transport.solver,
    values: 'scaling | log',
    provenance: 'paper',
    note: 'Alg. 1 scaling form; log-domain for small regularisation',
  },
  {
    path: 'transport.releaseMassGuard',
    default: c.transport.releaseMassGuard,
    values: 'boolean',
    provenance: 'release',
    note: "1e-6 on the anchor's normaliser only",
  },
  { path: 'matching', default: c.matching, values: 'sinkhorn | attention', provenance: 'paper', note: 'attention = ELIM-Attention (appendix 4.3)' },
  { path: 'attention.heads', default: c.attention.heads, values: 'integer dividing width', provenance: 'here', note: 'heads of both MHA layers' },
  { path: 'attention.width', default: c.attention.width, values: 'null | integer', provenance: 'here', note: 'null = latent size d' },
  {
    path: 'shift',
    default: c.shift,
    values: 'per-sample | scalar | vector | identity-vector',
    provenance: 'here',
    note: 'per-sample mu_j = sum_i X_ij C_ij; release: scalar mu_0; vector: displacement onto the anchor (issue #9)',
  },
  { path: 'shiftStrength', default: c.shiftStrength, values: '>= 0', provenance: 'here', note: 'vector shifts: subtract alpha * mu (issue #9)' },
  { path: 'skipRms', default: c.skipRms, values: 'boolean', provenance: 'here', note: 'no RMS rescaling after the shift (issue #9)' },
  { path: 'detachShift', default: c.detachShift, values: 'boolean', provenance: 'release', note: 'false = gradient flows through the OT shift' },
  { path: 'normEps', default: c.normEps, values: '> 0', provenance: 'release', note: 'RMS normalisation guard' },
  {
    path: 'projectorCalls',
    default: c.projectorCalls,
    values: 'joint | per-identity',
    provenance: 'here',
    note: 'joint: one BatchNorm over all targets, running stats untouched; release: per identity',
  },
  { path: 'loss.mainScale', default: c.loss.mainScale, values: 'number', provenance: 'paper', note: 'release: 0.5' },
  { path: 'loss.includeAnchor', default: c.loss.includeAnchor, values: 'boolean', provenance: 'paper', note: "release adds the anchor's un-normalised MSE" },
  { path: 'loss.vaWeight', default: c.loss.vaWeight, values: 'number', provenance: 'paper+release', note: 'L_va = MSE_v + MSE_a' },
  { path: 'loss.corrWeight', default: c.loss.corrWeight, values: 'number', provenance: 'paper+release', note: '0.5 (L_PCC + L_CCC)' },
  { path: 'warmup.w1', default: c.warmup.w1, values: 'integer >= 0', provenance: 'release', note: 'ELIM term 0 before w1' },
  { path: 'warmup.w2', default: c.warmup.w2, values: 'integer >= 1', provenance: 'release', note: 'then iteration/w2 until w2, then 1' },
  { path: 'steps', default: c.steps, values: 'one-step | two-step', provenance: 'paper', note: 'Alg. 4 one loss; release: a second step on L_main' },
];

const isInt = (x: number, lo: number) => Number.isInteger(x) && x >= lo;

/** Checks every numeric domain; the first violation is returned. */
export const validateConfig = (c: ElimConfig): E.Either<ElimError, ElimConfig> => {
  const bad = (field: string, message: string) => E.left(invalidConfig('config', field, message));
  if (!isInt(c.domains, 2)) return bad('domains', `must be an integer >= 2, got ${c.domains}`);
  if (!isInt(c.anchors, 1) || c.anchors >= c.domains) return bad('anchors', `must be an integer >= 1 and < domains (${c.domains}), got ${c.anchors}`);
  if (!isInt(c.topk, 1)) return bad('topk', `must be an integer >= 1, got ${c.topk}`);
  if (!(c.tau > 0)) return bad('tau', `must be > 0, got ${c.tau}`);
  if (!(c.transport.lambda > 0) || !Number.isFinite(c.transport.lambda)) return bad('transport.lambda', `must be finite and > 0, got ${c.transport.lambda}`);
  if (!isInt(c.transport.iterations, 1)) return bad('transport.iterations', `must be an integer >= 1, got ${c.transport.iterations}`);
  if (!(c.transport.tolerance >= 0)) return bad('transport.tolerance', `must be >= 0, got ${c.transport.tolerance}`);
  if (!(c.shiftStrength >= 0) || !Number.isFinite(c.shiftStrength)) return bad('shiftStrength', `must be finite and >= 0, got ${c.shiftStrength}`);
  if (!(c.normEps > 0)) return bad('normEps', `must be > 0, got ${c.normEps}`);
  if (!isInt(c.attention.heads, 1)) return bad('attention.heads', `must be an integer >= 1, got ${c.attention.heads}`);
  for (const k of ['mainScale', 'vaWeight', 'corrWeight'] as const)
    if (!(c.loss[k] >= 0) || !Number.isFinite(c.loss[k])) return bad(`loss.${k}`, `must be finite and >= 0, got ${c.loss[k]}`);
  if (!isInt(c.warmup.w1, 0)) return bad('warmup.w1', `must be an integer >= 0, got ${c.warmup.w1}`);
  if (!isInt(c.warmup.w2, 1)) return bad('warmup.w2', `must be an integer >= 1, got ${c.warmup.w2}`);
  return E.right(c);
};

/** The warm-up factor t on L_main at a (0-based) iteration: 0 before w1, iteration/w2 until w2, then 1. */
export const warmupFactor = (w: WarmupConfig, iteration: number): number => (iteration < w.w1 ? 0 : iteration < w.w2 ? iteration / w.w2 : 1);
