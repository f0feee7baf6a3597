/**
 * The trainer's phases for a method, built from the pipeline's compositions:
 * - baseline: one phase, `baselineStep` (L_va + 0.5 (L_PCC + L_CCC));
 * - elim, one-step (appendix Alg. 4, the default): one phase, `elimStep`;
 * - elim, two-step (the release): `elimStep` (which then computes the baseline objective) and
 *   `elimOnlyStep` (L_main alone), the second with the encoder's gradients clipped to norm 1.
 * Each step runs with an Env whose random key is the iteration's own (see step-rng.ts) and whose
 * logger is the trainer's (its event sink). A stage's Left comes back as the objective's Left,
 * tag and all: the trainer reports it as `StageFailed` with the iteration and phase.
 */
import * as E from 'fp-ts/lib/Either.js';
import { EngineError } from '../../lib/errors.js';
import { subtree } from '../../lib/nn/tree.js';
import type { Module } from '../../lib/nn/module.js';
import { baselineStep } from '../baseline.js';
import type { ElimConfig } from '../config.js';
import { elimOnlyStep, elimStep, type StepInput, type StepOutput } from '../elim.js';
import { makeEnv } from '../env.js';
import type { Stage } from '../stages/stage.js';
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

const phase = (name: string, core: Stage<StepInput, StepOutput>, config: ElimConfig, clip: number): Phase => ({
  name,
  encoderClipNorm: clip,
  objective: (i: ObjectiveInput) => {
    const env = makeEnv({ config, rngKey: i.rng.state(), logger: i.logger });
    const models = { projector: i.projector, attention: config.matching === 'attention' ? subtree(i.params, 'matcher') : undefined };
    return E.map((out: StepOutput): ObjectiveOutput => {
      const { warmup, ...terms } = termValues(out.terms);
      return { loss: out.loss, terms: { ...terms, warmup }, projectorState: out.state, outcome: outcomeName(out.outcome) };
    })(core({ z: i.z, labels: i.labels, keys: i.keys, iteration: i.iteration, models })(env));
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
export const phasesFor = (method: Method, config: ElimConfig, latent: number, clipNorm: number, adversary?: AdversaryPlan): PhasePlan => {
  if (method === 'baseline') return { phases: [phase('baseline', baselineStep, config, clipNorm)], extras: [] };
  if (method === 'adversarial') {
    if (!adversary) throw new EngineError('ArgumentError', 'phasesFor', 'the adversarial method needs its settings and the training identities');
    const module = adversaryModule(latent, adversary.settings.hidden, adversary.identities.length);
    const base = phase('baseline', baselineStep, config, clipNorm);
    return { phases: [adversarialPhase(base, adversary.settings, adversary.identities, adversary.steps, module)], extras: [['adversary', module]] };
  }
  const extras: Array<readonly [string, Module]> =
    config.matching === 'attention' ? [['matcher', attentionMatcher(matcherSpec(latent, config.attention))]] : [];
  const main = phase('elim', elimStep, config, clipNorm);
  if (config.steps === 'two-step') return { phases: [main, phase('elimOnly', elimOnlyStep, config, 1)], extras };
  return { phases: [main], extras };
};
