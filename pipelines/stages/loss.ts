/**
 * Stage `loss` (appendix Alg. 4 and §3; spec stage 8):
 *
 *   L_total = L_main + vaWeight * L_va + corrWeight * (L_PCC + L_CCC)        (1, 1, 0.5)
 *   L_va    = MSE_valence + MSE_arousal of f(z) on the whole batch
 *   L_PCC   = 1 - (PCC_v + PCC_a) / 2,  L_CCC = 1 - (CCC_v + CCC_a) / 2  (lib/losses, population
 *             statistics, eps-guarded so a constant prediction gives 0 correlation, not NaN)
 *   L_main  = mainScale * t(iteration) * [ anchorTerm + sum over targets e of MSE(f(z~_e), y_e) ]
 *
 * where MSE(.) is the mean over the group's samples and both axes ((MSE_v + MSE_a) / 2, the
 * release's nn.MSELoss on [k, 2]) and t is the warm-up factor (0 before w1 = 5, then
 * iteration / w2 until w2 = 50, then 1).
 *   Default (the appendix's Alg. 4 with the release's warm-up): mainScale 1, no anchor term.
 *   Release option: mainScale 0.5 and includeAnchor (the anchor's own MSE of f(z_anchor),
 *   un-normalised) — config `loss: { mainScale: 0.5, includeAnchor: true }` or RELEASE_PRESET.
 * Every term is returned separately for logging (`termValues` reads them as numbers).
 * A step without an ELIM branch (Skipped batch, ELIM off, warm-up 0) has L_main = 0 exactly.
 */
import * as T from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { vaLoss } from '../../lib/losses/va-loss.js';
import type { LossConfig } from '../config.js';
import * as E from 'fp-ts/lib/Either.js';
import { inputMismatch, tryStage } from '../errors.js';
import type { Stage } from './stage.js';

export interface Predicted {
  readonly y: Tensor;
  readonly labels: Tensor;
}

export interface ElimPredictions {
  /** f(z~) for every target row [M, 2] and the labels of those rows. */
  readonly targets: Predicted;
  /** Rows per target (sums to M). */
  readonly sizes: readonly number[];
  /** f(z) on the anchor's kept rows (used when loss.includeAnchor). */
  readonly anchor?: Predicted;
}

export interface LossInput {
  /** f(z) on the whole batch; absent in the two-step mode's ELIM-only step. */
  readonly batch?: Predicted;
  readonly elim?: ElimPredictions;
  /** Warm-up factor t for this iteration (config.warmupFactor). */
  readonly warmup: number;
  /** Gives the backend and dtype of a zero loss when neither branch is present. */
  readonly like?: Tensor;
}

export interface LossTerms {
  readonly total: Tensor;
  readonly main: Tensor;
  readonly va: Tensor;
  readonly pcc: Tensor;
  readonly ccc: Tensor;
  readonly mseValence: Tensor;
  readonly mseArousal: Tensor;
  /** The warm-up factor applied to L_main. */
  readonly warmup: number;
}

export interface LossOutput {
  readonly loss: Tensor;
  readonly terms: LossTerms;
}

/** sum over groups of (mean over the group's rows and both axes of (y - t)^2), as one weighted sum. */
export const groupMseSum = (y: Tensor, labels: Tensor, sizes: readonly number[]): Tensor => {
  const rowSq = T.sum(T.square(T.sub(y, labels)), 1); // [M]
  const w = sizes.flatMap((m) => Array.from({ length: m }, () => 1 / (2 * m)));
  return T.sum(T.mul(rowSq, T.tensor(w, [w.length], { dtype: y.dtype, backend: y.backend })));
};

/** L_main before the warm-up and scale: anchor term (if asked) + sum of target MSEs. */
export const elimTerm = (e: ElimPredictions, includeAnchor: boolean): Tensor => {
  const targets = groupMseSum(e.targets.y, e.targets.labels, e.sizes);
  return includeAnchor && e.anchor ? T.add(targets, groupMseSum(e.anchor.y, e.anchor.labels, [e.anchor.y.shape[0]])) : targets;
};

export const computeLoss = (input: LossInput, c: LossConfig, like: Tensor): LossOutput => {
  const zero = () => T.full([], 0, { dtype: like.dtype, backend: like.backend });
  const factor = c.mainScale * input.warmup;
  const main = input.elim && factor !== 0 ? T.mul(elimTerm(input.elim, c.includeAnchor), factor) : zero();
  if (!input.batch) {
    const z = zero();
    return { loss: main, terms: { total: main, main, va: z, pcc: z, ccc: z, mseValence: z, mseArousal: z, warmup: input.warmup } };
  }
  const v = vaLoss(input.batch.y, input.batch.labels);
  const va = T.add(v.mseValence, v.mseArousal);
  const total = T.add(T.add(main, T.mul(va, c.vaWeight)), T.mul(T.add(v.pccLoss, v.cccLoss), c.corrWeight));
  return {
    loss: total,
    terms: { total, main, va, pcc: v.pccLoss, ccc: v.cccLoss, mseValence: v.mseValence, mseArousal: v.mseArousal, warmup: input.warmup },
  };
};

export const loss: Stage<LossInput, LossOutput> = (input) => (env) => {
  const like = input.batch?.y ?? input.elim?.targets.y ?? input.like;
  if (!like) return E.left(inputMismatch('loss', 'neither batch predictions, ELIM predictions nor a `like` tensor was given'));
  return tryStage('loss', () => computeLoss(input, env.config.loss, like));
};

/** The terms as plain numbers (one read-back each), for logs and reports. */
export const termValues = (t: LossTerms): Record<Exclude<keyof LossTerms, 'warmup'>, number> & { warmup: number } => ({
  total: t.total.item(),
  main: t.main.item(),
  va: t.va.item(),
  pcc: t.pcc.item(),
  ccc: t.ccc.item(),
  mseValence: t.mseValence.item(),
  mseArousal: t.mseArousal.item(),
  warmup: t.warmup,
});
