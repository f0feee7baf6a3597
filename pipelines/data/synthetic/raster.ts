/**
 * A tiny anti-aliased rasteriser over a float RGB canvas (values in [0, 1]). Coverage comes from
 * an approximate signed distance to each shape's edge: coverage = clamp(0.5 - d, 0, 1) with d
 * in pixels, which gives one-pixel-wide smooth edges without supersampling. Pixel (i, j) has its
 * centre at (j + 0.5, i + 0.5).
 */
export type Rgb = readonly [number, number, number];
export type Point = readonly [number, number];

export interface Canvas {
  readonly width: number;
  readonly height: number;
  /** RGB triples, row-major. */
  readonly data: Float32Array;
}

export const canvas = (width: number, height: number): Canvas => ({ width, height, data: new Float32Array(width * height * 3) });

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Blends `color` into pixel (x, y) with weight `a`. */
const blend = (c: Canvas, x: number, y: number, color: Rgb, a: number) => {
  if (a <= 0) return;
  const o = (y * c.width + x) * 3;
  const d = c.data;
  d[o] += (color[0] - d[o]) * a;
  d[o + 1] += (color[1] - d[o + 1]) * a;
  d[o + 2] += (color[2] - d[o + 2]) * a;
};

/** Runs `f(x, y, px, py)` over the pixels of a clipped bounding box (px, py = pixel centre). */
const forBox = (c: Canvas, x0: number, y0: number, x1: number, y1: number, f: (x: number, y: number, px: number, py: number) => void) => {
  const xa = Math.max(0, Math.floor(x0)),
    xb = Math.min(c.width - 1, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)),
    yb = Math.min(c.height - 1, Math.ceil(y1));
  for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) f(x, y, x + 0.5, y + 0.5);
};

/** Vertical gradient from `top` to `bottom` over the whole canvas. */
export const fillGradient = (c: Canvas, top: Rgb, bottom: Rgb) => {
  for (let y = 0; y < c.height; y++) {
    const t = (y + 0.5) / c.height;
    const col: Rgb = [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
    for (let x = 0; x < c.width; x++) blend(c, x, y, col, 1);
  }
};

/**
 * Signed distance (pixels, negative inside) to a rotated ellipse, approximated by scaling the
 * normalised radius by the local radius — exact on circles, good to a fraction of a pixel on
 * the mild ellipses of a face.
 */
const ellipseDistance = (px: number, py: number, cx: number, cy: number, rx: number, ry: number, cos: number, sin: number) => {
  const dx = px - cx,
    dy = py - cy;
  const u = dx * cos + dy * sin,
    v = -dx * sin + dy * cos;
  const r = Math.sqrt((u / rx) * (u / rx) + (v / ry) * (v / ry));
  if (r === 0) return -Math.min(rx, ry);
  const local = Math.sqrt(u * u + v * v) / r; // ellipse radius along this direction
  return (r - 1) * local;
};

export interface Ellipse {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  /** Radians, clockwise in image coordinates. */
  readonly angle?: number;
}

export const fillEllipse = (c: Canvas, e: Ellipse, color: Rgb, alpha = 1) => {
  const cos = Math.cos(e.angle ?? 0),
    sin = Math.sin(e.angle ?? 0);
  const R = Math.max(e.rx, e.ry) + 1;
  forBox(c, e.cx - R, e.cy - R, e.cx + R, e.cy + R, (x, y, px, py) =>
    blend(c, x, y, color, alpha * clamp01(0.5 - ellipseDistance(px, py, e.cx, e.cy, e.rx, e.ry, cos, sin))),
  );
};

/** An ellipse outline of stroke `width` (glasses rims). */
export const strokeEllipse = (c: Canvas, e: Ellipse, width: number, color: Rgb, alpha = 1) => {
  const cos = Math.cos(e.angle ?? 0),
    sin = Math.sin(e.angle ?? 0);
  const R = Math.max(e.rx, e.ry) + width + 1;
  forBox(c, e.cx - R, e.cy - R, e.cx + R, e.cy + R, (x, y, px, py) =>
    blend(c, x, y, color, alpha * clamp01(width / 2 + 0.5 - Math.abs(ellipseDistance(px, py, e.cx, e.cy, e.rx, e.ry, cos, sin)))),
  );
};

/** Points along the quadratic Bezier p0 -> p2 with control p1. */
export const quadratic = (p0: Point, p1: Point, p2: Point, segments = 12): Point[] =>
  Array.from({ length: segments + 1 }, (_, k) => {
    const t = k / segments,
      s = 1 - t;
    return [s * s * p0[0] + 2 * s * t * p1[0] + t * t * p2[0], s * s * p0[1] + 2 * s * t * p1[1] + t * t * p2[1]] as const;
  });

const segmentDistance = (px: number, py: number, a: Point, b: Point) => {
  const vx = b[0] - a[0],
    vy = b[1] - a[1];
  const L = vx * vx + vy * vy;
  const t = L === 0 ? 0 : clamp01(((px - a[0]) * vx + (py - a[1]) * vy) / L);
  const ex = px - a[0] - t * vx,
    ey = py - a[1] - t * vy;
  return Math.sqrt(ex * ex + ey * ey);
};

const bounds = (pts: readonly Point[], pad: number) => {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0 - pad, y0 - pad, x1 + pad, y1 + pad] as const;
};

/** A polyline of stroke `width` with round caps (mouth lines, brows). */
export const strokePolyline = (c: Canvas, pts: readonly Point[], width: number, color: Rgb, alpha = 1) => {
  const [x0, y0, x1, y1] = bounds(pts, width + 1);
  forBox(c, x0, y0, x1, y1, (x, y, px, py) => {
    let d = Infinity;
    for (let k = 1; k < pts.length; k++) d = Math.min(d, segmentDistance(px, py, pts[k - 1], pts[k]));
    blend(c, x, y, color, alpha * clamp01(width / 2 + 0.5 - d));
  });
};

/** A closed polygon (even-odd), anti-aliased by the distance to its nearest edge. */
export const fillPolygon = (c: Canvas, pts: readonly Point[], color: Rgb, alpha = 1) => {
  const [x0, y0, x1, y1] = bounds(pts, 1);
  const n = pts.length;
  forBox(c, x0, y0, x1, y1, (x, y, px, py) => {
    let inside = false;
    let d = Infinity;
    for (let k = 0, j = n - 1; k < n; j = k++) {
      const a = pts[j],
        b = pts[k];
      if (a[1] > py !== b[1] > py && px < ((b[0] - a[0]) * (py - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
      d = Math.min(d, segmentDistance(px, py, a, b));
    }
    blend(c, x, y, color, alpha * clamp01(0.5 + (inside ? d : -d)));
  });
};

/** Canvas -> RGBA bytes (alpha 255), rounding and clamping. */
export const toRgba = (c: Canvas, out: Uint8Array<ArrayBufferLike> = new Uint8Array(c.width * c.height * 4), offset = 0): Uint8Array<ArrayBufferLike> => {
  const n = c.width * c.height;
  for (let i = 0; i < n; i++) {
    out[offset + 4 * i] = Math.round(clamp01(c.data[3 * i]) * 255);
    out[offset + 4 * i + 1] = Math.round(clamp01(c.data[3 * i + 1]) * 255);
    out[offset + 4 * i + 2] = Math.round(clamp01(c.data[3 * i + 2]) * 255);
    out[offset + 4 * i + 3] = 255;
  }
  return out;
};
