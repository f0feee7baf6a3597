/**
 * Stage `validate`: the step's inputs checked once, before any stage runs, so that every
 * later stage may assume them consistent. Features z [B, d] and labels [B, 2] are read back
 * once here (group/sample/transport work on host arrays; B x d is small next to the encoder).
 * Outcomes with a clear error: counts that disagree (labels vs features vs keys) are an
 * `InputMismatch`; NaN/Inf in features or labels is `NonFinite` naming the first bad sample
 * (a NaN would otherwise poison the OT plan and every gradient silently).
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { TypedArray } from '../../lib/tensor/dtype.js';
import { inputMismatch, nonFinite, type ElimError } from '../errors.js';
import type { DomainKey } from './group.js';
import type { Stage } from './stage.js';

export interface StepData {
  /** Latent features from the encoder, [B, d]. */
  readonly z: Tensor;
  /** Valence/arousal labels, [B, 2]. */
  readonly labels: Tensor;
  /** One domain key (identity, age group, ...) per sample. */
  readonly keys: readonly DomainKey[];
}

export interface Validated {
  readonly batch: number;
  readonly dim: number;
  readonly zHost: TypedArray;
  readonly labelsHost: TypedArray;
}

const firstBadRow = (a: TypedArray, width: number): { index: number; count: number } => {
  let index = -1;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      if (index < 0) index = Math.floor(i / width);
      count++;
    }
  }
  return { index, count };
};

export const checkStepData = ({ z, labels, keys }: StepData): E.Either<ElimError, Validated> => {
  if (z.rank !== 2) return E.left(inputMismatch('validate', `features must be [B, d], got [${z.shape.join(', ')}]`));
  if (labels.rank !== 2 || labels.shape[1] !== 2) return E.left(inputMismatch('validate', `labels must be [B, 2], got [${labels.shape.join(', ')}]`));
  const [batch, dim] = z.shape;
  if (labels.shape[0] !== batch) return E.left(inputMismatch('validate', `${labels.shape[0]} labels for ${batch} feature rows`));
  if (keys.length !== batch) return E.left(inputMismatch('validate', `${keys.length} domain keys for ${batch} feature rows`));
  if (batch < 2) return E.left(inputMismatch('validate', `a batch needs at least 2 samples (PCC/CCC and BatchNorm), got ${batch}`));
  const zHost = z.toArray();
  const zBad = firstBadRow(zHost, dim);
  if (zBad.count) return E.left(nonFinite('validate', 'features', zBad.index, zBad.count));
  const labelsHost = labels.toArray();
  const yBad = firstBadRow(labelsHost, 2);
  if (yBad.count) return E.left(nonFinite('validate', 'labels', yBad.index, yBad.count));
  return E.right({ batch, dim, zHost, labelsHost });
};

export const validate: Stage<StepData, Validated> = (input) => () => checkStepData(input);
