/** A legend box: one row per entry with a line sample, a marker or a filled swatch, then the label. */
import { fillRect, strokeRect, type Canvas, type Rgba } from '../raster/canvas.js';
import { drawMarker, drawPolyline, type MarkerShape } from '../raster/shapes.js';
import { drawText, lineHeight, textWidth } from '../raster/text.js';
import { GRID, INK } from './colors.js';

export interface LegendEntry {
  readonly label: string;
  readonly color: Rgba;
  readonly line?: { readonly dash?: readonly [number, number]; readonly width?: number };
  readonly marker?: MarkerShape;
  readonly swatch?: boolean;
}

const PAD = 8;
const SAMPLE = 30;

export const legendSize = (entries: readonly LegendEntry[], scale: number): { w: number; h: number } => ({
  w: PAD * 3 + SAMPLE + Math.max(0, ...entries.map((e) => textWidth(e.label, scale))),
  h: PAD * 2 + entries.length * (lineHeight(scale) + 4) - 4,
});

export const drawLegend = (c: Canvas, x: number, y: number, entries: readonly LegendEntry[], scale: number): void => {
  if (entries.length === 0) return;
  const { w, h } = legendSize(entries, scale);
  fillRect(c, x, y, w, h, [255, 255, 255, 235]);
  strokeRect(c, x, y, w, h, GRID);
  const row = lineHeight(scale) + 4;
  entries.forEach((e, i) => {
    const cy = y + PAD + i * row + lineHeight(scale) / 2 - scale / 2;
    const sx = x + PAD;
    if (e.swatch) fillRect(c, sx + 4, cy - 6, SAMPLE - 8, 12, e.color);
    if (e.line)
      drawPolyline(
        c,
        [
          [sx, cy],
          [sx + SAMPLE, cy],
        ],
        e.color,
        { width: e.line.width ?? 2, dash: e.line.dash },
      );
    if (e.marker) drawMarker(c, sx + SAMPLE / 2, cy, 4, e.color, e.marker);
    drawText(c, sx + SAMPLE + PAD, cy, e.label, { scale, color: INK, baseline: 'middle' });
  });
};
