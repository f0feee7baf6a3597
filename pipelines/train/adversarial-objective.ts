/**
 * The identity-adversarial reference (issue #15): the baseline objective plus an identity
 * classifier on the latent behind a gradient-reversal layer (domain-adversarial training,
 * Ganin & Lempitsky 2015). The classifier learns to tell the training identities apart from z;
 * the reversed gradient drives the encoder towards latents it cannot tell apart. It is the
 * established invariance method the benchmark must be able to reward for its verdict on ELIM
 * to mean something.
 *
 * loss = L_baseline + weight * CE(adversary(gradReverse(z, lambda_t)), identity)
 * lambda_t = lambda * (2 / (1 + exp(-10 p)) - 1), p = iteration / steps (DANN's ramp: the
 * encoder feels the adversary only once it has learnt something).
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { relu } from '../../lib/nn/activations.js';
import { linear } from '../../lib/nn/linear.js';
import { sequential, type Module } from '../../lib/nn/module.js';
import { EMPTY, subtree } from '../../lib/nn/tree.js';
import * as T from '../../lib/ops/index.js';
import { inputMismatch, type ElimError } from '../errors.js';
import type { ObjectiveInput, ObjectiveOutput, Phase } from './objective.js';

export interface AdversarySettings {
  /** Weight of the identity cross-entropy in the loss. */
  readonly weight: number;
  /** Largest gradient-reversal factor (reached at the end of the ramp). */
  readonly lambda: number;
  /** Hidden units of the identity classifier (Linear -> ReLU -> Linear). */
  readonly hidden: number;
}

export const DEFAULT_ADVERSARY: AdversarySettings = { weight: 0.1, lambda: 1, hidden: 64 };

/** The identity classifier: z -> hidden -> one logit per training identity. */
export const adversaryModule = (latent: number, hidden: number, classes: number): Module =>
  sequential([linear(latent, hidden), relu(), linear(hidden, classes)]);

/** DANN's reversal schedule. */
export const reversalAt = (lambda: number, iteration: number, steps: number): number => {
  const p = Math.min(1, Math.max(0, iteration / Math.max(1, steps)));
  return lambda * (2 / (1 + Math.exp(-10 * p)) - 1);
};

/** Mean cross-entropy of logits [B, C] against class indices. */
export const crossEntropy = (logits: ReturnType<typeof T.tensor>, classes: readonly number[]): ReturnType<typeof T.tensor> => {
  const [B, C] = logits.shape;
  const onehot = new Float64Array(B * C);
  classes.forEach((c, b) => (onehot[b * C + c] = 1));
  const target = T.tensor(onehot, [B, C], { dtype: logits.dtype, backend: logits.backend });
  return T.neg(T.div(T.sum(T.mul(target, T.logSoftmax(logits, 1))), B));
};

/**
 * The adversarial phase over a baseline phase: `identities` are the training identities (the
 * classifier's classes, in this order), `steps` the run's length (the ramp).
 */
export const adversarialPhase = (base: Phase, adv: AdversarySettings, identities: readonly string[], steps: number, module: Module): Phase => {
  const index = new Map(identities.map((id, k) => [id, k]));
  return {
    name: 'adversarial',
    encoderClipNorm: base.encoderClipNorm,
    objective: (i: ObjectiveInput) =>
      pipe(
        base.objective(i),
        E.flatMap((b) => {
          const unknown = i.keys.find((k) => !index.has(k));
          if (unknown !== undefined)
            return E.left(inputMismatch('adversary', `identity '${unknown}' is not one of the ${identities.length} training identities`));
          const classes = i.keys.map((k) => index.get(k)!);
          const lam = reversalAt(adv.lambda, i.iteration, steps);
          const logits = module.apply(subtree(i.params, 'adversary'), EMPTY, T.gradReverse(i.z, lam), { training: true, rng: i.rng }).y;
          const ce = crossEntropy(logits, classes);
          const loss = T.add(b.loss, T.mul(ce, adv.weight));
          const terms = { ...b.terms, total: loss.item(), adversary: ce.item(), reversal: lam };
          return E.right<ElimError, ObjectiveOutput>({ loss, terms, projectorState: b.projectorState, outcome: 'adversarial' });
        }),
      ),
  };
};
