/**
 * The trainer's phases for a method, built from the pipeline's compositions:
 * - baseline: one phase, `baselineStep` (L_va + 0.5 (L_PCC + L_CCC));
 * - elim, one-step (appendix Alg. 4, the default): one phase, `elimStep`;
 * - elim, two-step (the release): `elimStep` (which then computes the baseline objective) and
 *   `elimOnlyStep` (L_main alone), the second with the encoder's gradients clipped to norm 1.
 * Each step runs with an Env whose random stream is the iteration's own (see step-rng.ts).
 */
import * as E from 'fp-ts/lib/Either.js';
import { EngineError } from '../../lib/errors.js';
import type { Backend } from '../../lib/backend/backend.js';
import { subtree } from '../../lib/nn/tree.js';
import type { Module } from '../../lib/nn/module.js';
import { baselineStepSync } from '../baseline.js';
import type { ElimConfig } from '../config.js';
import { elimOnlyStepSync, elimStepSync, type StepInput, type StepOutput } from '../elim.js';
import { makeEnv } from '../env.js';
import { formatElimError, type ElimError } from '../errors.js';
import type { RE } from './re-type.js';
import { attentionMatcher, matcherSpec } from '../stages/attention.js';
import { termValues } from '../stages/loss.js';
import type { ObjectiveInput, ObjectiveOutput, Phase } from './objective.js';
import { adversarialPhase, adversaryModule, type AdversarySettings } from './adversarial-objective.js';

/** elim, the baseline objective alone, or the identity-adversarial reference (adversarial-objective.ts). */
export type Method = 'elim' | 'baseline' | 'adversarial';

/** What the adversarial method needs besides the config: its settings, the training identities (its classes) and the run's length. */
export interface AdversaryPlan {
  readonly settings: AdversarySettings;
  readonly identities: readonly string[];
  readonly steps: number;
}

const outcomeName = (o: StepOutput['outcome']): string => (o._tag === 'Disabled' ? o.reason : o._tag === 'Skipped' ? `skipped:${o.reason}` : 'elim');

/** A step failure inside the trainer's autodiff scope is raised as an EngineError naming the stage. */
const unwrap = (r: E.Either<ElimError, StepOutput>): StepOutput => {
  if (E.isRight(r)) return r.right;
  throw new EngineError('NumericError', 'elim', formatElimError(r.left));
};

const phase = (name: string, core: (i: StepInput) => RE<StepOutput>, config: ElimConfig, backend: Backend, clip: number): Phase => ({
  name,
  encoderClipNorm: clip,
  objective: (i: ObjectiveInput): ObjectiveOutput => {
    const env = makeEnv(backend, { config, rng: i.rng });
    const out = unwrap(
      core({
        z: i.z,
        labels: i.labels,
        keys: i.keys,
        iteration: i.iteration,
        models: { projector: i.projector, attention: config.matching === 'attention' ? subtree(i.params, 'matcher') : undefined },
      })(env),
    );
    const { warmup, ...terms } = termValues(out.terms);
    return { loss: out.loss, terms: { ...terms, warmup }, projectorState: out.state, outcome: outcomeName(out.outcome) };
  },
});

export interface PhasePlan {
  readonly phases: Phase[];
  readonly extras: Array<readonly [string, Module]>;
}

/**
 * `clipNorm`: encoder gradient clipping in the main phase (0: none); the two-step mode's ELIM
 * phase always clips to 1 (the release).
 */
export const phasesFor = (method: Method, config: ElimConfig, backend: Backend, latent: number, clipNorm: number, adversary?: AdversaryPlan): PhasePlan => {
  if (method === 'baseline') return { phases: [phase('baseline', baselineStepSync, config, backend, clipNorm)], extras: [] };
  if (method === 'adversarial') {
    if (!adversary) throw new EngineError('ArgumentError', 'phasesFor', 'the adversarial method needs its settings and the training identities');
    const module = adversaryModule(latent, adversary.settings.hidden, adversary.identities.length);
    const base = phase('baseline', baselineStepSync, config, backend, clipNorm);
    return { phases: [adversarialPhase(base, adversary.settings, adversary.identities, adversary.steps, module)], extras: [['adversary', module]] };
  }
  const extras: Array<readonly [string, Module]> =
    config.matching === 'attention' ? [['matcher', attentionMatcher(matcherSpec(latent, config.attention))]] : [];
  const main = phase('elim', elimStepSync, config, backend, clipNorm);
  if (config.steps === 'two-step') return { phases: [main, phase('elimOnly', elimOnlyStepSync, config, backend, 1)], extras };
  return { phases: [main], extras };
};
