/**
 * THE list of ELIM options: each option's kind, default, provenance, note and flag, once. The
 * ElimConfig type, DEFAULT_CONFIG, validateConfig and describeConfig (pipelines/config.ts), the
 * `elim train`/`compare` flags with their help, config-file and variant keys
 * (pipelines/cli/elim-flags.ts), `elim options` and the options table in docs/CLI.md are all
 * derived from it. Adding an option = one entry here (plus the code that reads the value).
 *
 * Provenance: 'paper' = the NeurIPS 2022 paper / appendix (Alg. 1-4), 'release' = the authors'
 * public PyTorch code (ELIM_FER), 'here' = a choice of this project where the two disagree or are
 * silent (see ELIM_SPEC.md). Flags: derived from the key (`shiftStrength` -> --shift-strength,
 * with the group's prefix: `warmup.w1` -> --warmup-w1) unless `flag` says otherwise.
 */
import { bool, int, intOrNull, num, oneOf, text, type Value } from './kinds.js';
import { group, opt } from './schema.js';

const transport = group('', {
  /** K = exp(-lambda C). The appendix writes K = exp(-C/eta) with "eta = 5"; the release multiplies by 5: lambda is the knob, `eta` its reciprocal spelling. */
  lambda: opt(num({ above: 0 }), 5, {
    provenance: 'release',
    note: 'K = exp(-lambda C); appendix eta = 1/lambda (withEta)',
    flag: { help: 'K = exp(-lambda C) (release 5)' },
    also: [{ name: 'eta', kind: num({ above: 0 }), help: "the appendix's spelling: K = exp(-C/eta); overrides --lambda", to: (eta) => 1 / (eta as number) }],
  }),
  /** Sinkhorn iterations T (a cap; `tolerance` may stop earlier). */
  iterations: opt(int({ min: 1 }), 5, { provenance: 'paper+release', note: 'T = 5', flag: { help: 'Sinkhorn iterations T' } }),
  /** Stop when max |u - u_old| / max |u| falls below this (0: always run T iterations, as the release). */
  tolerance: opt(num({ min: 0 }), 0, {
    provenance: 'here',
    note: '0 = always T iterations, as the release',
    flag: { help: 'stop Sinkhorn earlier when u changes less than this (0: always T)' },
  }),
  cost: opt(oneOf('cosine', 'sqeuclidean'), 'cosine', { provenance: 'paper+release', note: 'C = 1 - cos', flag: { help: 'OT cost' } }),
  relevance: opt(oneOf('mean-dot', 'norm'), 'mean-dot', {
    provenance: 'release',
    note: 'relevance_weighting = 1 (parser default)',
    flag: { help: 'relevance weights (release parser default mean-dot)' },
  }),
  solver: opt(oneOf('scaling', 'log'), 'scaling', {
    provenance: 'paper',
    note: 'Alg. 1 scaling form; log-domain for small regularisation',
    flag: { help: 'Sinkhorn form' },
  }),
  /** Reproduce the release's 1e-6 added only to the anchor's relevance normaliser (masses differ by ~1e-6). */
  releaseMassGuard: opt(bool(), false, { provenance: 'release', note: "1e-6 on the anchor's normaliser only" }),
});

const attention = group('attention-', {
  /** Heads of both multi-head attention layers (must divide the width). */
  heads: opt(int({ min: 1 }), 4, {
    provenance: 'here',
    note: 'heads of both MHA layers',
    values: 'integer dividing width',
    flag: { help: 'ELIM-Attention heads' },
  }),
  /** Model width inside the attention block; d (the latent size) when null. */
  width: opt(intOrNull({ min: 1 }), null, {
    provenance: 'here',
    note: 'null = latent size d',
    flag: { help: 'ELIM-Attention model width (unset: the latent size d)' },
  }),
});

const loss = group('', {
  /** Multiplies the whole ELIM term L_main (the release: 0.5). */
  mainScale: opt(num({ min: 0 }), 1, { provenance: 'paper', note: 'release: 0.5', flag: { help: 'weight of L_main (paper 1, release 0.5)' } }),
  /** Add the anchor's own un-normalised MSE term to L_main (the release does). */
  includeAnchor: opt(bool(), false, {
    provenance: 'paper',
    note: "release adds the anchor's un-normalised MSE",
    flag: { help: "add the anchor's own MSE to L_main (release)" },
  }),
  /** Weight of L_va. */
  vaWeight: opt(num({ min: 0 }), 1, { provenance: 'paper+release', note: 'L_va = MSE_v + MSE_a', flag: { help: 'weight of L_va' } }),
  /** Weight of (L_PCC + L_CCC). */
  corrWeight: opt(num({ min: 0 }), 0.5, { provenance: 'paper+release', note: '0.5 (L_PCC + L_CCC)', flag: { help: 'weight of L_PCC + L_CCC' } }),
});

const warmup = group('warmup-', {
  /** The ELIM term is 0 before this iteration. */
  w1: opt(int({ min: 0 }), 5, { provenance: 'release', note: 'ELIM term 0 before w1', flag: { help: 'L_main is 0 before iteration w1' } }),
  /** Then ramps as iteration / w2 until w2, then 1. */
  w2: opt(int({ min: 1 }), 50, { provenance: 'release', note: 'then iteration/w2 until w2, then 1', flag: { help: 'then ramps as iteration/w2 until w2' } }),
});

export const ELIM_OPTIONS = {
  /** false: the baseline objective only (elimStep then equals baselineStep). */
  elim: opt(bool(), true, {
    provenance: 'paper',
    note: 'ELIM term on; false = baseline objective',
    flag: { from: 'method', to: (m: Value | undefined) => m === undefined || m === 'elim' },
  }),
  /** N: domains (identities) drawn per batch; the first is the anchor. */
  domains: opt(int({ min: 2 }), 10, {
    provenance: 'release',
    note: 'N domains per batch (--no_domain 10); first = anchor',
    flag: { help: 'N domains per batch (release 10)', defaultFrom: 'identities-per-batch' },
  }),
  /** What the domain key means; informational for logs (the data layer supplies the keys). */
  domainKey: opt(text(), 'identity', {
    provenance: 'paper',
    note: 'ELIM-Age uses age groups (appendix 4.4)',
    values: 'identity | age-group | any',
    flag: { from: 'domain-key' },
  }),
  singletons: opt(oneOf('duplicate', 'drop'), 'duplicate', {
    provenance: 'release',
    note: 'a key with one sample is duplicated by the release',
    flag: { help: 'a domain with one sample in the batch: duplicated (release) or dropped' },
  }),
  sampling: opt(oneOf('gumbel', 'max-filling', 'none'), 'gumbel', {
    provenance: 'paper',
    note: "Alg. 3; the release's run script uses none",
    flag: { help: 'per-domain sampling (Alg. 3)' },
  }),
  /** Domains pooled into the anchor set (the first ones drawn); 1 = the paper's single anchor. At least one target always remains. */
  anchors: opt(int({ min: 1 }), 1, {
    provenance: 'here',
    note: 'domains pooled into the anchor set (issue #9); 1 = paper',
    values: 'integer >= 1, < domains',
    flag: { help: "domains pooled into the anchor set (1: the paper's single anchor)" },
  }),
  /** k: samples kept per domain (capped at the domain's size). */
  topk: opt(int({ min: 1 }), 10, {
    provenance: 'release',
    note: 'k per domain, capped at its size',
    flag: { help: 'k samples kept per domain (release 10)', defaultFrom: 'images-per-identity' },
  }),
  /** Gumbel-softmax temperature. */
  tau: opt(num({ above: 0 }), 0.5, {
    provenance: 'release',
    note: 'Gumbel-softmax temperature (does not change which k win)',
    flag: { help: 'Gumbel-softmax temperature' },
  }),
  transport,
  matching: opt(oneOf('sinkhorn', 'attention'), 'sinkhorn', {
    provenance: 'paper',
    note: 'attention = ELIM-Attention (appendix 4.3)',
    flag: { help: 'Sinkhorn OT, or ELIM-Attention (appendix 4.3)' },
  }),
  attention,
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
  shift: opt(oneOf('per-sample', 'scalar', 'vector', 'identity-vector'), 'per-sample', {
    provenance: 'here',
    note: 'per-sample mu_j = sum_i X_ij C_ij; release: scalar mu_0; vector: displacement onto the anchor (issue #9)',
    flag: {
      help: "ID shift: per-sample mu_j, the release's scalar mu_0, or a vector shift in feature space: vector (displacement onto the anchor: barycentric projection), identity-vector (one displacement per target identity)",
    },
  }),
  /** alpha: the vector shifts subtract alpha * mu (1: the full displacement). Ignored by per-sample/scalar. */
  shiftStrength: opt(num({ min: 0 }), 1, {
    provenance: 'here',
    note: 'vector shifts: subtract alpha * mu (issue #9)',
    flag: { help: 'vector shifts: subtract alpha * mu' },
  }),
  /** Skip the RMS rescaling after the shift (false: the paper's normalisation z~ = (z - mu) / rms). */
  skipRms: opt(bool(), false, { provenance: 'here', note: 'no RMS rescaling after the shift (issue #9)' }),
  /** Detach the ID shift from the gradient (the release does). */
  detachShift: opt(bool(), true, {
    provenance: 'release',
    note: 'false = gradient flows through the OT shift',
    flag: { help: 'detach the shift from the gradient (the release)' },
  }),
  /** eps in z~ = (z - mu) / (sqrt(mean_d (z - mu)^2) + eps). */
  normEps: opt(num({ above: 0 }), 1e-6, { provenance: 'release', note: 'RMS normalisation guard' }),
  projectorCalls: opt(oneOf('joint', 'per-identity'), 'joint', {
    provenance: 'here',
    note: 'joint: one BatchNorm over all targets, running stats untouched; release: per identity',
    flag: { help: 'ELIM branch: one projector call over all targets, or one per identity (release)' },
  }),
  loss,
  warmup,
  steps: opt(oneOf('one-step', 'two-step'), 'one-step', {
    provenance: 'paper',
    note: 'Alg. 4 one loss; release: a second step on L_main',
    flag: {
      name: 'two-step',
      kind: bool(),
      to: (b: Value) => (b ? 'two-step' : 'one-step'),
      help: "the release's two optimiser steps per iteration (Alg. 4: one)",
    },
  }),
};
