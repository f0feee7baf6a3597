/**
 * The options of `elim train` (and `elim compare`, which trains several runs): one table that
 * gives the flags, the config-file keys, --help and validation, and a function turning the
 * resolved values into the trainer's settings and the pipeline's ElimConfig.
 * Defaults are the small CPU-sized model of the main job; the spec's (paper or release)
 * values are given in the help where they differ.
 */
import * as E from 'fp-ts/lib/Either.js';
import { makeConfig, RELEASE_PRESET, validateConfig, type ElimConfig } from '../config.js';
import { formatElimError } from '../errors.js';
import type { Method } from '../train/elim-objective.js';
import type { BackboneName } from '../train/model.js';
import { checkModelSpec, checkRunShape, checkSynthShape, formatProblem, LIMITS } from '../limits.js';
import { cliError, type CliError, type OptionSpec, type ParsedOptions } from './args.js';
import type { RunSpec } from '../train/run-spec.js';

const M = 'model';
const L = 'ELIM (see elim options for provenance)';
const O = 'optimisation';
const R = 'run';
const D = 'data';

export const DATA_OPTIONS: OptionSpec[] = [
  {
    name: 'data',
    kind: 'enum',
    choices: ['synthetic', 'generic-csv', 'afew-va', 'affectnet', 'aff-wild2'],
    default: 'synthetic',
    help: 'data source',
    group: D,
  },
  { name: 'data-path', kind: 'string', help: 'CSV file or dataset folder (every source but synthetic)', group: D },
  { name: 'images-root', kind: 'string', help: "folder image paths in the CSV are relative to (default: the CSV's folder)", group: D },
  {
    name: 'domain-key',
    kind: 'enum',
    choices: ['identity', 'age-group'],
    default: 'identity',
    help: 'ELIM domain: identity, or age group (ELIM-Age; needs an age column)',
    group: D,
  },
  { name: 'synth-identities', kind: 'int', min: 4, default: 48, help: 'synthetic: identities in all (held-out included)', group: D },
  { name: 'synth-held-out', kind: 'int', min: 1, default: 16, help: 'synthetic: identities never seen in training', group: D },
  { name: 'synth-frames', kind: 'int', min: 2, default: 40, help: 'synthetic: frames per identity', group: D },
  {
    name: 'synth-band',
    kind: 'enum',
    choices: ['narrow', 'wide', 'disc'],
    default: 'narrow',
    help: "synthetic: each identity's personal emotion band (label shift by identity): narrow (strong), wide (weak), disc (none)",
    group: D,
  },
  {
    name: 'synth-style',
    kind: 'enum',
    choices: ['none', 'mild', 'strong'],
    default: 'mild',
    help: 'synthetic: expressive style by identity (resting offset and gain spread: expressive shift)',
    group: D,
  },
  {
    name: 'held-out-fraction',
    kind: 'number',
    min: 0.05,
    max: 0.8,
    default: 0.25,
    help: 'real data: fraction of identities held out for evaluation',
    group: D,
  },
  { name: 'allow-outside-root', kind: 'boolean', default: false, help: 'let image paths in a CSV leave the data root (../, absolute paths)', group: D },
  {
    name: 'bad-records',
    kind: 'enum',
    choices: ['error', 'skip'],
    default: 'skip',
    help: 'a bad record (missing image, bad value) stops the run, or is skipped and counted',
    group: D,
  },
];

export const TRAIN_OPTIONS: OptionSpec[] = [
  { name: 'config', kind: 'string', help: 'JSON or YAML file of options (flags override it)', group: R },
  {
    name: 'method',
    kind: 'enum',
    choices: ['elim', 'baseline', 'adversarial'],
    default: 'elim',
    help: 'ELIM, the baseline objective alone, or the identity-adversarial reference (baseline + gradient-reversal identity classifier)',
    group: R,
  },
  { name: 'steps', kind: 'int', min: 1, max: LIMITS.steps.max, default: 300, help: 'training iterations', group: R },
  {
    name: 'seed',
    kind: 'int',
    min: LIMITS.seed.min,
    max: LIMITS.seed.max,
    default: 0,
    help: 'seed of data order, initialisation, dropout, Gumbel noise (and the synthetic data)',
    group: R,
  },
  {
    name: 'backend',
    kind: 'enum',
    choices: ['auto', 'cpu', 'gpujs'],
    default: 'auto',
    help: 'auto: GPU.js on GL where a GL context exists, else CPU (also ELIM_BACKEND)',
    group: R,
  },
  { name: 'out', kind: 'string', default: 'runs/train', help: 'run folder (config, events, checkpoint, metrics, plots)', group: R },
  { name: 'resume', kind: 'boolean', default: false, help: "continue from the run folder's checkpoint", group: R },
  { name: 'validate-every', kind: 'int', min: 0, default: 100, help: 'validate on held-out identities every n steps (0: at the end only)', group: R },
  { name: 'checkpoint-every', kind: 'int', min: 0, default: 100, help: 'write a checkpoint every n steps (0: at the end only)', group: R },
  { name: 'log-every', kind: 'int', min: 1, default: 10, help: 'a step event every n steps', group: R },
  { name: 'plots', kind: 'boolean', default: true, help: 'write PNG plots (loss curves, VA scatter, per-identity errors, t-SNE)', group: R },

  {
    name: 'backbone',
    kind: 'enum',
    choices: ['al64', 'alexnet', 'resnet18', 'mixer'],
    default: 'al64',
    help: 'backbone (paper: AlexNet, ResNet18, MLP-Mixer B/16)',
    group: M,
  },
  { name: 'input-size', kind: 'int', min: LIMITS.inputSize.min, max: LIMITS.inputSize.max, default: 32, help: 'image side in pixels (paper: 224)', group: M },
  {
    name: 'width',
    kind: 'number',
    min: LIMITS.width.min,
    max: LIMITS.width.max,
    default: 0.25,
    help: 'backbone channel multiplier (1 = full width)',
    group: M,
  },
  { name: 'hidden', kind: 'int', min: 1, default: 64, help: 'regressor hidden units (AL64: 256)', group: M },
  { name: 'latent', kind: 'int', min: 2, default: 32, help: 'latent size d (appendix: 64; release also 512)', group: M },
  { name: 'dropout', kind: 'number', min: 0, max: 0.95, default: 0.2, help: 'regressor dropout (AL64: 0.5)', group: M },

  {
    name: 'preset',
    kind: 'enum',
    choices: ['paper', 'release'],
    default: 'paper',
    help: "paper (defaults) or the release's behaviour (scalar shift, per-identity projector calls, 0.5 L_main with anchor, two-step)",
    group: L,
  },
  { name: 'domains', kind: 'int', min: 2, help: 'N domains per batch (release 10; default: P)', group: L },
  { name: 'anchors', kind: 'int', min: 1, default: 1, help: "domains pooled into the anchor set (1: the paper's single anchor)", group: L },
  { name: 'topk', kind: 'int', min: 1, help: 'k samples kept per domain (release 10; default: K)', group: L },
  { name: 'tau', kind: 'number', min: 1e-6, default: 0.5, help: 'Gumbel-softmax temperature', group: L },
  { name: 'sampling', kind: 'enum', choices: ['gumbel', 'max-filling', 'none'], default: 'gumbel', help: 'per-domain sampling (Alg. 3)', group: L },
  { name: 'lambda', kind: 'number', min: 1e-9, default: 5, help: 'K = exp(-lambda C) (release 5)', group: L },
  { name: 'eta', kind: 'number', min: 1e-9, help: "the appendix's spelling: K = exp(-C/eta); overrides --lambda", group: L },
  { name: 'iterations', kind: 'int', min: 1, default: 5, help: 'Sinkhorn iterations T', group: L },
  { name: 'tolerance', kind: 'number', min: 0, default: 0, help: 'stop Sinkhorn earlier when u changes less than this (0: always T)', group: L },
  { name: 'cost', kind: 'enum', choices: ['cosine', 'sqeuclidean'], default: 'cosine', help: 'OT cost', group: L },
  {
    name: 'relevance',
    kind: 'enum',
    choices: ['mean-dot', 'norm'],
    default: 'mean-dot',
    help: 'relevance weights (release parser default mean-dot)',
    group: L,
  },
  { name: 'solver', kind: 'enum', choices: ['scaling', 'log'], default: 'scaling', help: 'Sinkhorn form', group: L },
  {
    name: 'shift',
    kind: 'enum',
    choices: ['per-sample', 'scalar', 'vector', 'identity-vector'],
    default: 'per-sample',
    help: "ID shift: per-sample mu_j, the release's scalar mu_0, or a vector shift in feature space: vector (displacement onto the anchor: barycentric projection), identity-vector (one displacement per target identity)",
    group: L,
  },
  { name: 'shift-strength', kind: 'number', min: 0, default: 1, help: 'vector shifts: subtract alpha * mu', group: L },
  { name: 'skip-rms', kind: 'boolean', default: false, help: 'no RMS rescaling after the shift', group: L },
  { name: 'detach-shift', kind: 'boolean', default: true, help: 'detach the shift from the gradient (the release)', group: L },
  {
    name: 'projector-calls',
    kind: 'enum',
    choices: ['joint', 'per-identity'],
    default: 'joint',
    help: 'ELIM branch: one projector call over all targets, or one per identity (release)',
    group: L,
  },
  { name: 'matching', kind: 'enum', choices: ['sinkhorn', 'attention'], default: 'sinkhorn', help: 'Sinkhorn OT, or ELIM-Attention (appendix 4.3)', group: L },
  { name: 'attention-heads', kind: 'int', min: 1, default: 4, help: 'ELIM-Attention heads', group: L },
  { name: 'main-scale', kind: 'number', min: 0, help: 'weight of L_main (paper 1, release 0.5)', group: L },
  { name: 'include-anchor', kind: 'boolean', help: "add the anchor's own MSE to L_main (release)", group: L },
  { name: 'warmup-w1', kind: 'int', min: 0, default: 5, help: 'L_main is 0 before iteration w1', group: L },
  { name: 'warmup-w2', kind: 'int', min: 1, default: 50, help: 'then ramps as iteration/w2 until w2', group: L },
  { name: 'two-step', kind: 'boolean', help: "the release's two optimiser steps per iteration (default: one, Alg. 4)", group: L },

  { name: 'optimizer', kind: 'enum', choices: ['adam', 'sgd'], default: 'adam', help: 'optimiser', group: O },
  { name: 'lr', kind: 'number', min: 0, default: 1e-3, help: 'learning rate (release 5e-5 for a pre-trained 224px backbone)', group: O },
  { name: 'beta1', kind: 'number', min: 0, max: 0.9999, default: 0.9, help: 'Adam beta1 (release 0.5)', group: O },
  { name: 'beta2', kind: 'number', min: 0, max: 0.99999, default: 0.999, help: 'Adam beta2 (release 0.99)', group: O },
  { name: 'momentum', kind: 'number', min: 0, max: 0.9999, default: 0.9, help: 'SGD momentum', group: O },
  { name: 'weight-decay', kind: 'number', min: 0, default: 0, help: 'L2 weight decay', group: O },
  { name: 'projector-lr-scale', kind: 'number', min: 0, default: 1, help: "projector's learning rate relative to the encoder's (release 0.2)", group: O },
  { name: 'schedule', kind: 'enum', choices: ['constant', 'multistep', 'cosine'], default: 'cosine', help: 'learning-rate schedule', group: O },
  { name: 'milestones', kind: 'list', default: ['500', '2500', '5000', '7500', '10000'], help: 'MultiStepLR milestones (release)', group: O },
  { name: 'gamma', kind: 'number', min: 0, default: 0.8, help: 'MultiStepLR factor (release 0.8)', group: O },
  { name: 'clip-norm', kind: 'number', min: 0, default: 0, help: "clip the encoder's gradient norm (0: off; the release clips its ELIM step at 1)", group: O },
  { name: 'identities-per-batch', kind: 'int', min: 2, default: 8, help: 'P: identities per batch', group: O },
  { name: 'images-per-identity', kind: 'int', min: 1, default: 8, help: 'K: images per identity', group: O },
  { name: 'flip', kind: 'boolean', default: true, help: 'random horizontal flips', group: O },
  {
    name: 'augment-jitter',
    kind: 'number',
    min: 0,
    max: 0.9,
    default: 0,
    help: 'brightness and contrast jitter: factors uniform in [1 - j, 1 + j] (0: off)',
    group: O,
  },
  { name: 'augment-translate', kind: 'int', min: 0, default: 0, help: 'random translation by up to n pixels per axis (0: off)', group: O },
  {
    name: 'early-stop-fraction',
    kind: 'number',
    min: 0,
    max: 0.5,
    default: 0,
    help: 'early stopping: this fraction of the TRAINING identities is a validation split (never trained on); the parameters of the best validation step (mean CCC) are kept (0: off)',
    group: O,
  },
  { name: 'adv-weight', kind: 'number', min: 0, default: 0.1, help: 'adversarial: weight of the identity cross-entropy', group: O },
  { name: 'adv-lambda', kind: 'number', min: 0, default: 1, help: "adversarial: gradient-reversal factor at the end of DANN's ramp", group: O },
  { name: 'adv-hidden', kind: 'int', min: 1, default: 64, help: 'adversarial: hidden units of the identity classifier', group: O },
  ...DATA_OPTIONS,
];

export type { RunSpec };

const num = (o: ParsedOptions, k: string) => o[k] as number;
const opt = <T>(o: ParsedOptions, k: string): T | undefined => o[k] as T | undefined;

export const elimConfigFrom = (o: ParsedOptions): E.Either<CliError, ElimConfig> => {
  const base = o.preset === 'release' ? makeConfig(RELEASE_PRESET) : makeConfig();
  const P = num(o, 'identitiesPerBatch');
  const K = num(o, 'imagesPerIdentity');
  const c = makeConfig(
    {
      elim: o.method === 'elim' || o.method === undefined,
      domains: opt<number>(o, 'domains') ?? P,
      topk: opt<number>(o, 'topk') ?? K,
      anchors: num(o, 'anchors'),
      tau: num(o, 'tau'),
      sampling: o.sampling as ElimConfig['sampling'],
      domainKey: o.domainKey as string,
      transport: {
        lambda: opt<number>(o, 'eta') !== undefined ? 1 / num(o, 'eta') : num(o, 'lambda'),
        iterations: num(o, 'iterations'),
        tolerance: num(o, 'tolerance'),
        cost: o.cost as ElimConfig['transport']['cost'],
        relevance: o.relevance as ElimConfig['transport']['relevance'],
        solver: o.solver as ElimConfig['transport']['solver'],
      },
      shift: o.preset === 'release' && o.shift === 'per-sample' ? base.shift : (o.shift as ElimConfig['shift']),
      detachShift: o.detachShift as boolean,
      shiftStrength: num(o, 'shiftStrength'),
      skipRms: o.skipRms as boolean,
      projectorCalls: o.preset === 'release' && o.projectorCalls === 'joint' ? base.projectorCalls : (o.projectorCalls as ElimConfig['projectorCalls']),
      matching: o.matching as ElimConfig['matching'],
      attention: { heads: num(o, 'attentionHeads') },
      loss: {
        mainScale: opt<number>(o, 'mainScale') ?? base.loss.mainScale,
        includeAnchor: opt<boolean>(o, 'includeAnchor') ?? base.loss.includeAnchor,
      },
      warmup: { w1: num(o, 'warmupW1'), w2: num(o, 'warmupW2') },
      steps: opt<boolean>(o, 'twoStep') === undefined ? base.steps : o.twoStep ? 'two-step' : 'one-step',
    },
    base,
  );
  const v = validateConfig(c);
  return E.isLeft(v) ? E.left(cliError(`invalid ELIM option: ${formatElimError(v.left)}`)) : E.right(v.right);
};

export const runSpecFrom = (o: ParsedOptions): E.Either<CliError, RunSpec> => {
  const elim = elimConfigFrom(o);
  if (E.isLeft(elim)) return elim;
  const milestones = (o.milestones as string[]).map(Number);
  if (milestones.some((m) => !Number.isInteger(m) || m < 0))
    return E.left(cliError(`--milestones must be non-negative integers, got ${(o.milestones as string[]).join(',')}`));
  const backbone = o.backbone as BackboneName;
  const inputSize = num(o, 'inputSize');
  // one place knows the limits (pipelines/limits.ts): the model, the run's shape, the synthetic draw
  const model = checkModelSpec({ backbone, inputSize, width: num(o, 'width'), hidden: num(o, 'hidden'), latent: num(o, 'latent'), dropout: num(o, 'dropout') });
  if (E.isLeft(model)) return E.left(cliError(`--${formatProblem(model.left)}`));
  const batch = { identities: num(o, 'identitiesPerBatch'), perIdentity: num(o, 'imagesPerIdentity') };
  const shape = checkRunShape({ model: model.right, elim: elim.right, batch });
  if (E.isLeft(shape)) return E.left(cliError(`--${formatProblem(shape.left)}`));
  if (o.data === 'synthetic') {
    const synth = checkSynthShape({ identities: num(o, 'synthIdentities'), heldOut: num(o, 'synthHeldOut') }, batch.identities);
    if (E.isLeft(synth)) return E.left(cliError(`--${formatProblem(synth.left)}`));
  }
  if (o.data === 'synthetic' && (o.dataPath !== undefined || o.imagesRoot !== undefined))
    return E.left(
      cliError(
        `--${o.dataPath !== undefined ? 'data-path' : 'images-root'} needs --data generic-csv|afew-va|affectnet|aff-wild2 (the default, synthetic, reads no files)`,
      ),
    );
  if (o.data !== 'synthetic' && !o.dataPath) return E.left(cliError(`--data ${String(o.data)} needs --data-path`));
  return E.right({
    method: o.method as Method,
    elim: elim.right,
    backend: o.backend as RunSpec['backend'],
    out: o.out as string,
    resume: o.resume as boolean,
    plots: o.plots as boolean,
    settings: {
      model: { backbone, inputSize, width: num(o, 'width'), hidden: num(o, 'hidden'), latent: num(o, 'latent'), dropout: num(o, 'dropout') },
      optimizer: {
        kind: o.optimizer as 'adam' | 'sgd',
        lr: num(o, 'lr'),
        betas: [num(o, 'beta1'), num(o, 'beta2')],
        momentum: num(o, 'momentum'),
        weightDecay: num(o, 'weightDecay'),
        projectorLrScale: num(o, 'projectorLrScale'),
        schedule: o.schedule as 'constant' | 'multistep' | 'cosine',
        milestones,
        gamma: num(o, 'gamma'),
      },
      batch: { identities: num(o, 'identitiesPerBatch'), perIdentity: num(o, 'imagesPerIdentity') },
      steps: num(o, 'steps'),
      seed: num(o, 'seed'),
      validateEvery: num(o, 'validateEvery'),
      checkpointEvery: num(o, 'checkpointEvery'),
      logEvery: num(o, 'logEvery'),
      // the new regularisers appear only when on, so a default run's settings (and compare --reuse) are as before
      augment: {
        flip: o.flip as boolean,
        ...(num(o, 'augmentJitter') > 0 ? { jitter: num(o, 'augmentJitter') } : {}),
        ...(num(o, 'augmentTranslate') > 0 ? { translate: num(o, 'augmentTranslate') } : {}),
      },
      ...(num(o, 'earlyStopFraction') > 0 ? { earlyStop: { fraction: num(o, 'earlyStopFraction') } } : {}),
      ...(o.method === 'adversarial' ? { adversary: { weight: num(o, 'advWeight'), lambda: num(o, 'advLambda'), hidden: num(o, 'advHidden') } } : {}),
    },
  });
};

/** The clip norm of the main phase. */
export const clipNormOf = (o: ParsedOptions) => num(o, 'clipNorm');
