/**
 * Augmentation parameters, drawn on the main thread from the caller's Rng in sample order, so a
 * batch is bit-identical whatever worker handles which image and in what order they finish.
 */
import type { Rng } from '../../../lib/rng/rng.js';
import type { Box } from '../face-record.js';
import { IMAGENET_MEAN, IMAGENET_STD, type SampleTransform } from './sample-transform.js';

export interface AugmentConfig {
  /** Network input side. Default 64. */
  readonly size?: number;
  /** Side before the crop; default round(size * 8 / 7) (the 256 -> 224 ratio). Equal to size: no crop jitter. */
  readonly resize?: number;
  /** Random crop and flip and jitter on (training) or centre crop, no flip, no jitter (evaluation). */
  readonly train?: boolean;
  /** Flip probability when training. Default 0.5. */
  readonly flipProb?: number;
  /** Brightness drawn uniformly in [-b, b] ([0, 1] pixel units). Default 0.1. */
  readonly brightness?: number;
  /** Contrast factor drawn uniformly in [1 - c, 1 + c]. Default 0.1. */
  readonly contrast?: number;
  readonly mean?: readonly [number, number, number];
  readonly std?: readonly [number, number, number];
}

export const resolvedResize = (c: AugmentConfig) => c.resize ?? Math.round(((c.size ?? 64) * 8) / 7);

/** The transform for one sample. `rng` is consumed only when training (evaluation is deterministic). */
export const drawTransform = (box: Box | undefined, c: AugmentConfig, rng: Rng | undefined): SampleTransform => {
  const out = c.size ?? 64;
  const resize = Math.max(out, resolvedResize(c));
  const slack = resize - out;
  const common = { box: box ?? null, resize, out, mean: c.mean ?? IMAGENET_MEAN, std: c.std ?? IMAGENET_STD };
  if (!c.train || !rng) {
    const mid = Math.floor(slack / 2);
    return { ...common, cropX: mid, cropY: mid, flip: false, brightness: 0, contrast: 1 };
  }
  const b = c.brightness ?? 0.1,
    k = c.contrast ?? 0.1;
  return {
    ...common,
    cropX: rng.int(slack + 1),
    cropY: rng.int(slack + 1),
    flip: rng.uniform() < (c.flipProb ?? 0.5),
    brightness: (2 * rng.uniform() - 1) * b,
    contrast: 1 + (2 * rng.uniform() - 1) * k,
  };
};
