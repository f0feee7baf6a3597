/**
 * Colours: a categorical palette (Okabe-Ito, distinguishable under common colour-vision
 * deficiencies, yellow dropped as unreadable on white) and a diverging blue-grey-red map
 * whose midpoint is light grey rather than white, so neutral points stay visible on a
 * white background.
 */
import type { Rgba } from '../raster/canvas.js';

export const PALETTE: readonly Rgba[] = [
  [0, 114, 178, 255], // blue
  [213, 94, 0, 255], // vermillion
  [0, 158, 115, 255], // bluish green
  [230, 159, 0, 255], // orange
  [204, 121, 167, 255], // reddish purple
  [86, 180, 233, 255], // sky blue
  [0, 0, 0, 255], // black
  [120, 120, 120, 255], // grey
];

export const seriesColor = (i: number): Rgba => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];

export const withAlpha = (c: Rgba, alpha: number): Rgba => [c[0], c[1], c[2], Math.round(alpha * 255)];

export const darken = (c: Rgba, f = 0.6): Rgba => [c[0] * f, c[1] * f, c[2] * f, c[3]];

export const INK: Rgba = [34, 34, 34, 255];
export const GRID: Rgba = [225, 225, 225, 255];
export const MUTED: Rgba = [110, 110, 110, 255];

// Control points of the diverging map at t = 0, 0.25, 0.5, 0.75, 1.
const DIVERGING: readonly (readonly [number, number, number])[] = [
  [59, 76, 192],
  [130, 165, 251],
  [221, 221, 221],
  [244, 152, 122],
  [180, 4, 38],
];

/** Diverging colour for t in [0, 1] (clamped; NaN maps to the midpoint). */
export const diverging = (t: number): Rgba => {
  const u = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  const k = Math.min(DIVERGING.length - 2, Math.floor(u * (DIVERGING.length - 1)));
  const f = u * (DIVERGING.length - 1) - k;
  const a = DIVERGING[k],
    b = DIVERGING[k + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, 255];
};
