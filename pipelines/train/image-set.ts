/**
 * The images a run trains and evaluates on, decoded once at the model's input size and held
 * as 8-bit RGB (a quarter of float32's memory): 12 KiB per 64x64 image, so even AFEW-VA's
 * ~30K frames fit. Batches are assembled from it on demand: normalised with ImageNet mean/std
 * into NCHW float32, optionally flipped (seeded).
 */
import type { Rng } from '../../lib/rng/rng.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../data/images/sample-transform.js';
import type { InMemoryDataset } from '../data/synthetic/synthesize.js';

export interface ImageSet {
  readonly size: number;
  readonly count: number;
  /** count x size x size x 3, row-major HWC. */
  readonly rgb: Uint8Array;
  /** count x 2: valence, arousal in [-1, 1]. */
  readonly labels: Float32Array;
  readonly identities: readonly string[];
  /** The ELIM domain key of each sample (the identity, or e.g. an age group). */
  readonly keys: readonly string[];
  /** Where each image came from (a path, or `synthetic:<identity>/<frame>`). */
  readonly sources: readonly string[];
}

/** The samples whose identity is in `keep`, in their original order. */
export const subsetByIdentity = (s: ImageSet, keep: ReadonlySet<string>): ImageSet =>
  subset(
    s,
    s.identities.flatMap((id, i) => (keep.has(id) ? [i] : [])),
  );

export const subset = (s: ImageSet, idx: readonly number[]): ImageSet => {
  const per = s.size * s.size * 3;
  const rgb = new Uint8Array(idx.length * per);
  const labels = new Float32Array(idx.length * 2);
  idx.forEach((j, i) => {
    rgb.set(s.rgb.subarray(j * per, (j + 1) * per), i * per);
    labels[2 * i] = s.labels[2 * j];
    labels[2 * i + 1] = s.labels[2 * j + 1];
  });
  return {
    size: s.size,
    count: idx.length,
    rgb,
    labels,
    identities: idx.map((j) => s.identities[j]),
    keys: idx.map((j) => s.keys[j]),
    sources: idx.map((j) => s.sources[j]),
  };
};

/** The synthetic benchmark (RGBA frames) as an ImageSet, downsampled by box filter when `size` is smaller. */
export const imageSetFromSynthetic = (ds: InMemoryDataset, size = ds.size): ImageSet => {
  const S = ds.size;
  if (S % size !== 0) throw new RangeError(`imageSetFromSynthetic: ${S} is not a multiple of ${size}`);
  const f = S / size;
  const n = ds.records.length;
  const rgb = new Uint8Array(n * size * size * 3);
  const labels = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) {
    const base = r * S * S * 4;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++) {
          let acc = 0;
          for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) acc += ds.rgba[base + ((y * f + dy) * S + x * f + dx) * 4 + c];
          rgb[((r * size + y) * size + x) * 3 + c] = Math.round(acc / (f * f));
        }
    labels[2 * r] = ds.records[r].valence;
    labels[2 * r + 1] = ds.records[r].arousal;
  }
  const identities = ds.records.map((rec) => rec.identity);
  return { size, count: n, rgb, labels, identities, keys: identities, sources: ds.frames.map((fr) => `synthetic:${fr.identity}/${fr.frame}`) };
};

export interface BatchAugment {
  /** Horizontal flip with probability 1/2 per sample. */
  readonly flip: boolean;
  /**
   * Photometric jitter (issue #15, the regularised baseline): per sample, brightness and contrast
   * factors uniform in [1 - j, 1 + j] (contrast about the image's mean). Absent or 0: none.
   */
  readonly jitter?: number;
  /** Random translation by up to this many pixels on each axis (edge pixels repeated). Absent or 0: none. */
  readonly translate?: number;
}

/** NCHW float32 images (ImageNet-normalised) and [B, 2] labels for the given sample indices. */
export const assembleBatch = (s: ImageSet, idx: readonly number[], aug?: BatchAugment, rng?: Rng): { x: Float32Array; y: Float32Array; keys: string[] } => {
  const S = s.size;
  const plane = S * S;
  const x = new Float32Array(idx.length * 3 * plane);
  const y = new Float32Array(idx.length * 2);
  const scale = [0, 1, 2].map((c) => 1 / (255 * IMAGENET_STD[c]));
  const shift = [0, 1, 2].map((c) => IMAGENET_MEAN[c] / IMAGENET_STD[c]);
  const jit = aug?.jitter ?? 0,
    tr = aug?.translate ?? 0;
  const clampPx = (v: number) => (v < 0 ? 0 : v > S - 1 ? S - 1 : v);
  idx.forEach((j, b) => {
    const flip = aug?.flip && rng ? rng.uniform() < 0.5 : false;
    // the extra draws happen only when asked for, so flip-only batches are as before
    const dx = tr > 0 && rng ? rng.int(2 * tr + 1) - tr : 0;
    const dy = tr > 0 && rng ? rng.int(2 * tr + 1) - tr : 0;
    const bright = jit > 0 && rng ? 1 + jit * (2 * rng.uniform() - 1) : 1;
    const contrast = jit > 0 && rng ? 1 + jit * (2 * rng.uniform() - 1) : 1;
    const src = j * plane * 3;
    let meanPx = 0;
    if (contrast !== 1) {
      for (let p = 0; p < plane * 3; p++) meanPx += s.rgb[src + p];
      meanPx /= plane * 3;
    }
    for (let c = 0; c < 3; c++) {
      const out = (b * 3 + c) * plane;
      for (let yy = 0; yy < S; yy++)
        for (let xx = 0; xx < S; xx++) {
          const fx = flip ? S - 1 - xx : xx;
          const sx = dx === 0 ? fx : clampPx(fx - dx),
            sy = dy === 0 ? yy : clampPx(yy - dy);
          const v = s.rgb[src + (sy * S + sx) * 3 + c];
          const px = bright === 1 && contrast === 1 ? v : Math.max(0, Math.min(255, ((v - meanPx) * contrast + meanPx) * bright));
          x[out + yy * S + xx] = px * scale[c] - shift[c];
        }
    }
    y[2 * b] = s.labels[2 * j];
    y[2 * b + 1] = s.labels[2 * j + 1];
  });
  return { x, y, keys: idx.map((j) => s.keys[j]) };
};
