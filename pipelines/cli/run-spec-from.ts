/**
 * Resolved `elim train` options -> the RunSpec (the trainer's settings and the ElimConfig), with
 * every check between options made before anything runs: the model, the run's shape and the
 * synthetic draw against pipelines/limits.ts, and the data source against its path.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Method } from '../train/elim-objective.js';
import type { BackboneName } from '../train/model.js';
import type { RunSpec } from '../train/run-spec.js';
import { checkModelSpec, checkRunShape, checkSynthShape, formatProblem } from '../limits.js';
import { cliError, type CliError, type ParsedOptions } from './args.js';
import { elimConfigFrom } from './elim-flags.js';

const num = (o: ParsedOptions, k: string) => o[k] as number;

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
