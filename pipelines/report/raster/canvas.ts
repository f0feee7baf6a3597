/**
 * An RGBA raster with source-over blending and an optional clip rectangle. Every drawing
 * primitive in this folder writes through `blend`, so coverage-based anti-aliasing and
 * clipping to a plot's data area live in one place.
 */
export type Rgba = readonly [number, number, number, number]; // 0..255 each

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Canvas {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray; // row-major RGBA
  clip: Rect | undefined;
}

export const WHITE: Rgba = [255, 255, 255, 255];
export const BLACK: Rgba = [0, 0, 0, 255];

export const createCanvas = (width: number, height: number, background: Rgba = WHITE): Canvas => {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`createCanvas: width and height must be positive integers, got ${width}x${height}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = background[0];
    data[i + 1] = background[1];
    data[i + 2] = background[2];
    data[i + 3] = background[3];
  }
  return { width, height, data, clip: undefined };
};

/** Blend `color` into pixel (x, y) with extra coverage in [0, 1] (the anti-aliasing weight). */
export const blend = (c: Canvas, x: number, y: number, color: Rgba, coverage = 1): void => {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const clip = c.clip;
  if (clip && (x < clip.x || y < clip.y || x >= clip.x + clip.w || y >= clip.y + clip.h)) return;
  const a = (color[3] / 255) * Math.min(1, Math.max(0, coverage));
  if (a <= 0) return;
  const i = (y * c.width + x) * 4;
  const d = c.data;
  d[i] = d[i] + (color[0] - d[i]) * a;
  d[i + 1] = d[i + 1] + (color[1] - d[i + 1]) * a;
  d[i + 2] = d[i + 2] + (color[2] - d[i + 2]) * a;
  d[i + 3] = d[i + 3] + (255 - d[i + 3]) * a;
};

/** Axis-aligned filled rectangle in pixel units; fractional edges get partial coverage. */
export const fillRect = (c: Canvas, x: number, y: number, w: number, h: number, color: Rgba): void => {
  const x0 = Math.floor(x),
    x1 = Math.ceil(x + w),
    y0 = Math.floor(y),
    y1 = Math.ceil(y + h);
  for (let py = y0; py < y1; py++) {
    const cy = Math.min(py + 1, y + h) - Math.max(py, y);
    for (let px = x0; px < x1; px++) {
      const cx = Math.min(px + 1, x + w) - Math.max(px, x);
      blend(c, px, py, color, cx * cy);
    }
  }
};

/** One-pixel crisp rectangle outline (integer coordinates), used for frames and legend boxes. */
export const strokeRect = (c: Canvas, x: number, y: number, w: number, h: number, color: Rgba): void => {
  fillRect(c, x, y, w, 1, color);
  fillRect(c, x, y + h - 1, w, 1, color);
  fillRect(c, x, y + 1, 1, h - 2, color);
  fillRect(c, x + w - 1, y + 1, 1, h - 2, color);
};

export const withClip = <T>(c: Canvas, clip: Rect, fn: () => T): T => {
  const saved = c.clip;
  c.clip = clip;
  try {
    return fn();
  } finally {
    c.clip = saved;
  }
};
