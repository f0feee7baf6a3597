/**
 * Anti-aliased lines and markers. Lines use the distance from each pixel centre to the
 * segment (coverage = half-width + 0.5 - distance, clamped), which gives smooth thick lines
 * without a polygon rasteriser. Markers are point-in-shape tests supersampled 4x4 per pixel.
 */
import { blend, type Canvas, type Rgba } from './canvas.js';

const segmentDistance = (px: number, py: number, x0: number, y0: number, x1: number, y1: number): number => {
  const dx = x1 - x0,
    dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / len2));
  const ex = px - (x0 + t * dx),
    ey = py - (y0 + t * dy);
  return Math.sqrt(ex * ex + ey * ey);
};

export const drawLine = (c: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgba, width = 1): void => {
  if (![x0, y0, x1, y1].every(Number.isFinite)) return;
  const hw = width / 2;
  const pad = hw + 1;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - pad)),
    maxX = Math.min(c.width - 1, Math.ceil(Math.max(x0, x1) + pad));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - pad)),
    maxY = Math.min(c.height - 1, Math.ceil(Math.max(y0, y1) + pad));
  for (let py = minY; py <= maxY; py++) {
    for (let px = minX; px <= maxX; px++) {
      const d = segmentDistance(px + 0.5, py + 0.5, x0, y0, x1, y1);
      const cov = hw + 0.5 - d;
      if (cov > 0) blend(c, px, py, color, Math.min(1, cov));
    }
  }
};

export interface PolylineStyle {
  readonly width?: number;
  /** [on, off] lengths in pixels; omitted for a solid line. */
  readonly dash?: readonly [number, number];
}

/**
 * A polyline; NaN points break it (used for log axes where a value is non-positive).
 * Dashes follow the arc length, so the pattern is continuous across vertices.
 */
export const drawPolyline = (c: Canvas, pts: readonly (readonly [number, number])[], color: Rgba, style: PolylineStyle = {}): void => {
  const width = style.width ?? 1.5;
  let s = 0;
  for (let i = 1; i < pts.length; i++) {
    const [ax, ay] = pts[i - 1];
    const [bx, by] = pts[i];
    if (![ax, ay, bx, by].every(Number.isFinite)) continue;
    if (!style.dash) {
      drawLine(c, ax, ay, bx, by, color, width);
      continue;
    }
    const [on, off] = style.dash;
    const period = on + off;
    const len = Math.hypot(bx - ax, by - ay);
    let t = 0;
    while (t < len) {
      const phase = (s + t) % period;
      const step = phase < on ? Math.min(on - phase, len - t) : Math.min(period - phase, len - t);
      if (phase < on) {
        const f0 = t / len,
          f1 = (t + step) / len;
        drawLine(c, ax + (bx - ax) * f0, ay + (by - ay) * f0, ax + (bx - ax) * f1, ay + (by - ay) * f1, color, width);
      }
      t += step;
    }
    s += len;
  }
};

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond';

const inside = (shape: MarkerShape, u: number, v: number, r: number): boolean => {
  switch (shape) {
    case 'circle':
      return u * u + v * v <= r * r;
    case 'square':
      return Math.abs(u) <= r * 0.85 && Math.abs(v) <= r * 0.85;
    case 'diamond':
      return Math.abs(u) + Math.abs(v) <= r * 1.15;
    case 'triangle': {
      // upward triangle with its centroid at the origin
      const top = -r * 1.1,
        bottom = r * 0.75;
      if (v < top || v > bottom) return false;
      const half = ((v - top) / (bottom - top)) * r * 1.1;
      return Math.abs(u) <= half;
    }
  }
};

/** Filled marker centred at (x, y) with radius r; `edge` draws a 1px darker rim for contrast. */
export const drawMarker = (c: Canvas, x: number, y: number, r: number, color: Rgba, shape: MarkerShape = 'circle', edge?: Rgba): void => {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return;
  const pad = r * 1.3 + 1;
  const S = 4;
  for (let py = Math.floor(y - pad); py <= Math.ceil(y + pad); py++) {
    for (let px = Math.floor(x - pad); px <= Math.ceil(x + pad); px++) {
      let hitOuter = 0,
        hitInner = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = px + (sx + 0.5) / S - x,
            v = py + (sy + 0.5) / S - y;
          if (inside(shape, u, v, r)) {
            hitOuter++;
            if (edge === undefined || inside(shape, u, v, r - 1)) hitInner++;
          }
        }
      }
      if (edge && hitOuter > hitInner) blend(c, px, py, edge, (hitOuter - hitInner) / (S * S));
      if (hitInner > 0) blend(c, px, py, color, hitInner / (S * S));
    }
  }
};

/** A line from (x0, y0) to (x1, y1) with a filled triangular head at the end. */
export const drawArrow = (c: Canvas, x0: number, y0: number, x1: number, y1: number, color: Rgba, width = 1, head = 5): void => {
  const len = Math.hypot(x1 - x0, y1 - y0);
  if (len < 1e-9) return;
  const ux = (x1 - x0) / len,
    uy = (y1 - y0) / len;
  const h = Math.min(head, len);
  drawLine(c, x0, y0, x1 - ux * h * 0.8, y1 - uy * h * 0.8, color, width);
  // head: triangle tip at (x1, y1), base centred h back
  const bx = x1 - ux * h,
    by = y1 - uy * h,
    nx = -uy * h * 0.5,
    ny = ux * h * 0.5;
  fillTriangle(c, [x1, y1], [bx + nx, by + ny], [bx - nx, by - ny], color);
};

export const fillTriangle = (c: Canvas, a: readonly [number, number], b: readonly [number, number], d: readonly [number, number], color: Rgba): void => {
  const S = 4;
  const edge = (p: readonly [number, number], q: readonly [number, number], x: number, y: number) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const area = edge(a, b, d[0], d[1]);
  if (area === 0) return;
  const sgn = Math.sign(area);
  const minX = Math.floor(Math.min(a[0], b[0], d[0])),
    maxX = Math.ceil(Math.max(a[0], b[0], d[0]));
  const minY = Math.floor(Math.min(a[1], b[1], d[1])),
    maxY = Math.ceil(Math.max(a[1], b[1], d[1]));
  for (let py = minY; py <= maxY; py++) {
    for (let px = minX; px <= maxX; px++) {
      let hits = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = px + (sx + 0.5) / S,
            y = py + (sy + 0.5) / S;
          if (sgn * edge(a, b, x, y) >= 0 && sgn * edge(b, d, x, y) >= 0 && sgn * edge(d, a, x, y) >= 0) hits++;
        }
      }
      if (hits) blend(c, px, py, color, hits / (S * S));
    }
  }
};
