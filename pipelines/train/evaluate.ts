/**
 * Evaluation: the encoder and projector in eval mode (running statistics, no dropout) over an
 * ImageSet in batches, predictions clamped to the label range [-1, 1] (the release clamps too),
 * then RMSE/SAGR/PCC/CCC per axis overall and per identity. Optionally returns the latents z
 * (for the t-SNE plot).
 */
import { noGrad } from '../../lib/autograd/tape.js';
import { axisMetrics, type AxisMetrics, type SagrZero } from '../../lib/metrics/metrics.js';
import * as T from '../../lib/ops/index.js';
import { subtree } from '../../lib/nn/tree.js';
import { scope } from '../../lib/tensor/scope.js';
import type { Backend } from '../../lib/backend/backend.js';
import type { TrainedModel } from './model.js';
import { assembleBatch, type ImageSet } from './image-set.js';

export interface VaMetrics {
  readonly valence: AxisMetrics;
  readonly arousal: AxisMetrics;
}

export interface IdentityMetrics extends VaMetrics {
  readonly identity: string;
  readonly n: number;
}

export interface Evaluation {
  readonly overall: VaMetrics;
  readonly perIdentity: readonly IdentityMetrics[];
  /** [count x 2] predictions (clamped) in ImageSet order. */
  readonly predictions: Float32Array;
  /** [count x latent] when asked for. */
  readonly latents?: Float32Array;
}

export interface PredictOptions {
  readonly batchSize?: number;
  readonly withLatents?: boolean;
}

/**
 * One evaluation-mode forward pass on NCHW images (ImageNet-normalised): predictions clamped to
 * [-1, 1] ([n, 2]) and, when asked, the latents z ([n, latent]). Shared by evaluation and
 * `elim predict`, so both read a checkpoint the same way.
 */
export const predictImages = (
  { model, params, state }: TrainedModel,
  x: Float32Array,
  n: number,
  backend: Backend,
  withLatents = false,
): { predictions: Float32Array; latents?: Float32Array } =>
  noGrad(() =>
    scope(() => {
      const s = model.spec.inputSize;
      const xt = T.tensor(x.subarray(0, n * 3 * s * s), [n, 3, s, s], { backend });
      const z = model.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), xt, { training: false }).y;
      const y = T.clamp(model.projector.apply(subtree(params, 'projector'), subtree(state, 'projector'), z, { training: false }).y, -1, 1);
      return { predictions: Float32Array.from(y.toArray()), latents: withLatents ? Float32Array.from(z.toArray()) : undefined };
    }),
  );

/** Predictions (and latents) for every image of the set, in batches. */
export const predictSet = (m: TrainedModel, set: ImageSet, backend: Backend, o: PredictOptions = {}): { predictions: Float32Array; latents?: Float32Array } => {
  const bs = o.batchSize ?? 128;
  const predictions = new Float32Array(set.count * 2);
  const latents = o.withLatents ? new Float32Array(set.count * m.model.spec.latent) : undefined;
  for (let start = 0; start < set.count; start += bs) {
    const idx = Array.from({ length: Math.min(bs, set.count - start) }, (_, i) => start + i);
    const r = predictImages(m, assembleBatch(set, idx).x, idx.length, backend, latents !== undefined);
    predictions.set(r.predictions, start * 2);
    if (latents && r.latents) latents.set(r.latents, start * m.model.spec.latent);
  }
  return { predictions, latents };
};

const column = (xs: Float32Array, k: number, idx?: readonly number[]) =>
  idx ? Float64Array.from(idx, (i) => xs[2 * i + k]) : Float64Array.from({ length: xs.length / 2 }, (_, i) => xs[2 * i + k]);

export const vaMetrics = (labels: Float32Array, preds: Float32Array, idx?: readonly number[], zero: SagrZero = 'sign'): VaMetrics => ({
  valence: axisMetrics(column(labels, 0, idx), column(preds, 0, idx), zero),
  arousal: axisMetrics(column(labels, 1, idx), column(preds, 1, idx), zero),
});

export const evaluateSet = (m: TrainedModel, set: ImageSet, backend: Backend, o: PredictOptions = {}): Evaluation => {
  const { predictions, latents } = predictSet(m, set, backend, o);
  const byId = new Map<string, number[]>();
  set.identities.forEach((id, i) => byId.set(id, [...(byId.get(id) ?? []), i]));
  const perIdentity = [...byId].map(([identity, idx]) => ({ identity, n: idx.length, ...vaMetrics(set.labels, predictions, idx) }));
  return { overall: vaMetrics(set.labels, predictions), perIdentity, predictions, latents };
};
