/**
 * The options of `elim train` (and `elim compare`, which trains several runs): one table that
 * gives the flags, the config-file keys, --help and validation. The ELIM options come from their
 * schema (elim-flags.ts), the data options from data-options.ts; runSpecFrom (run-spec-from.ts)
 * turns the resolved values into the trainer's settings and the pipeline's ElimConfig.
 * Defaults are the small CPU-sized model of the main job; the spec's (paper or release)
 * values are given in the help where they differ.
 */
import { LIMITS } from '../limits.js';
import type { OptionSpec } from './args.js';
import { DATA_OPTIONS } from './data-options.js';
import { ELIM_FLAGS } from './elim-flags.js';

export { clipNormOf, runSpecFrom } from './run-spec-from.js';
export type { RunSpec } from '../train/run-spec.js';

const M = 'model';
const O = 'optimisation';
const R = 'run';

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

  ...ELIM_FLAGS,

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
