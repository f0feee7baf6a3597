/**
 * The per-sample image transform: face box -> square resize -> (random) crop -> optional
 * horizontal flip -> brightness/contrast -> ImageNet normalisation -> CHW float32, in one
 * resampling pass (the resize and crop are one affine map, so pixels are interpolated once).
 *
 * `renderSample` is deliberately self-contained (no imports, no module-level helpers, plain
 * syntax only): the decode worker embeds its source text via `Function.prototype.toString`, so
 * the worker and the main thread run the very same code, from TS sources under vitest and from
 * dist/*.js alike.
 */
import type { Box } from '../face-record.js';

export interface SampleTransform {
  /** Source region (the face crop) in source pixels, may extend past the edges (edge pixels repeat); null = the whole image. */
  readonly box: Box | null;
  /** Side of the square the box is resized to before cropping (torchvision's Resize(256) before RandomCrop(224)). */
  readonly resize: number;
  /** Top-left of the crop inside the resized square, in resized pixels. */
  readonly cropX: number;
  readonly cropY: number;
  /** Output side (the network input). */
  readonly out: number;
  readonly flip: boolean;
  /** Added to every channel in [0, 1] units. */
  readonly brightness: number;
  /** Scales the distance from mid-grey 0.5. */
  readonly contrast: number;
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

/**
 * Writes 3 x out x out floats (CHW) for RGBA `src` (sw x sh) into `dst` at `offset`.
 * Minification is anti-aliased by supersampling: n x n bilinear taps per output pixel with
 * n = ceil(source pixels per output pixel), a box prefilter that is enough for faces.
 */
export function renderSample(src: ArrayLike<number>, sw: number, sh: number, t: SampleTransform, dst: Float32Array, offset: number): void {
  const out = t.out;
  const plane = out * out;
  const box = t.box ? t.box : { x: 0, y: 0, width: sw, height: sh };
  const sx = box.width / t.resize; // source pixels per resized pixel
  const sy = box.height / t.resize;
  const n = Math.max(1, Math.ceil(Math.max(sx, sy)));
  const inv = 1 / (n * n);
  const m0 = t.mean[0],
    m1 = t.mean[1],
    m2 = t.mean[2];
  const s0 = 1 / t.std[0],
    s1 = 1 / t.std[1],
    s2 = 1 / t.std[2];
  const maxX = sw - 1,
    maxY = sh - 1;
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < out; j++) {
      const jj = t.flip ? out - 1 - j : j;
      let r = 0,
        g = 0,
        b = 0;
      for (let a = 0; a < n; a++) {
        // sample position in source pixel-centre coordinates
        const fy = box.y + (t.cropY + i + (a + 0.5) / n) * sy - 0.5;
        const y = fy < 0 ? 0 : fy > maxY ? maxY : fy;
        const y0 = Math.floor(y),
          y1 = y0 < maxY ? y0 + 1 : maxY,
          wy = y - y0;
        for (let c = 0; c < n; c++) {
          const fx = box.x + (t.cropX + jj + (c + 0.5) / n) * sx - 0.5;
          const x = fx < 0 ? 0 : fx > maxX ? maxX : fx;
          const x0 = Math.floor(x),
            x1 = x0 < maxX ? x0 + 1 : maxX,
            wx = x - x0;
          const p00 = (y0 * sw + x0) * 4,
            p01 = (y0 * sw + x1) * 4,
            p10 = (y1 * sw + x0) * 4,
            p11 = (y1 * sw + x1) * 4;
          const w00 = (1 - wx) * (1 - wy),
            w01 = wx * (1 - wy),
            w10 = (1 - wx) * wy,
            w11 = wx * wy;
          r += src[p00] * w00 + src[p01] * w01 + src[p10] * w10 + src[p11] * w11;
          g += src[p00 + 1] * w00 + src[p01 + 1] * w01 + src[p10 + 1] * w10 + src[p11 + 1] * w11;
          b += src[p00 + 2] * w00 + src[p01 + 2] * w01 + src[p10 + 2] * w10 + src[p11 + 2] * w11;
        }
      }
      const k = (1 / 255) * inv;
      let vr = (r * k - 0.5) * t.contrast + 0.5 + t.brightness;
      let vg = (g * k - 0.5) * t.contrast + 0.5 + t.brightness;
      let vb = (b * k - 0.5) * t.contrast + 0.5 + t.brightness;
      vr = vr < 0 ? 0 : vr > 1 ? 1 : vr;
      vg = vg < 0 ? 0 : vg > 1 ? 1 : vg;
      vb = vb < 0 ? 0 : vb > 1 ? 1 : vb;
      const o = offset + i * out + j;
      dst[o] = (vr - m0) * s0;
      dst[o + plane] = (vg - m1) * s1;
      dst[o + 2 * plane] = (vb - m2) * s2;
    }
  }
}
