/**
 * t-SNE embeddings side by side (e.g. ELIM and the baseline, as in the paper appendix's
 * Fig. 3), points coloured by valence on a diverging map shared by all panels, with one
 * colour bar at the right. t-SNE coordinates carry no units, so the panels have frames but
 * no ticks; each panel is scaled to its own points with equal aspect.
 */
import { createCanvas, fillRect, strokeRect, withClip, type Canvas } from '../raster/canvas.js';
import { encodePng } from '../raster/png.js';
import { drawMarker } from '../raster/shapes.js';
import { drawText, lineHeight, textWidth } from '../raster/text.js';
import { diverging, INK } from './colors.js';
import { extent } from './extent.js';
import { drawPanel, drawTitle, layoutPanel, type AxisSpec } from './frame.js';
import { formatTick, niceTicks } from './nice-ticks.js';

export interface TsnePanel {
  readonly title: string;
  readonly points: readonly (readonly [number, number])[];
  readonly values: readonly number[];
}

export interface TsnePlotOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Colour range; default [-1, 1] (valence), widened symmetrically if values exceed it. */
  readonly range?: readonly [number, number];
  readonly valueLabel?: string;
  readonly textScale?: number;
}

const BAR_W = 18;

export const renderTsneSideBySide = (panels: readonly TsnePanel[], opts: TsnePlotOptions = {}): Canvas => {
  for (const p of panels) {
    if (p.points.length !== p.values.length)
      throw new RangeError(`plotTsneSideBySide: panel '${p.title}' has ${p.points.length} points and ${p.values.length} values`);
  }
  const s = opts.textScale ?? 2;
  const k = Math.max(1, panels.length);
  const width = opts.width ?? 520 * k + 140,
    height = opts.height ?? 560;
  const c = createCanvas(width, height);
  const [vmin, vmax] = colourRange(panels, opts.range);
  const label = opts.valueLabel ?? 'valence';

  const titleH = opts.title ? lineHeight(s) + 12 : 0;
  if (opts.title) drawTitle(c, width / 2, 8, opts.title, s);
  const barT = niceTicks(vmin, vmax, 5);
  const barLabelW = Math.max(...barT.values.map((v) => textWidth(formatTick(v, barT.step), s)));
  const barArea = BAR_W + 24 + barLabelW + lineHeight(s) + 12;
  const panelW = (width - barArea) / k;

  const noTicks: AxisSpec = { min: 0, max: 1, ticks: [], format: String };
  let dataTop = 0,
    dataH = 0;
  panels.forEach((p, idx) => {
    let panel = layoutPanel({ x: idx * panelW, y: titleH, w: panelW, h: height - titleH }, noTicks, noTicks, {
      title: p.title,
      subtitle: `n=${p.points.length}`,
      scale: s,
    });
    const side = Math.min(panel.rect.w, panel.rect.h);
    panel = { ...panel, rect: { x: Math.round(panel.rect.x + (panel.rect.w - side) / 2), y: panel.rect.y, w: side, h: side } };
    dataTop = panel.rect.y;
    dataH = side;
    drawPanel(c, panel, { showXTicks: false, showYTicks: false, grid: false });
    const [x0, x1] = extent(p.points.map((q) => q[0])) ?? [-1, 1];
    const [y0, y1] = extent(p.points.map((q) => q[1])) ?? [-1, 1];
    // Equal aspect with a 5% margin: one scale for both axes, centred.
    const span = Math.max(x1 - x0, y1 - y0, 1e-12) * 1.1;
    const cx = (x0 + x1) / 2,
      cy = (y0 + y1) / 2;
    const r = panel.rect;
    // Draw the most extreme values last so they are not hidden under neutral ones.
    const order = p.values.map((_, i) => i).sort((a, b) => Math.abs(p.values[a]) - Math.abs(p.values[b]));
    withClip(c, r, () => {
      for (const i of order) {
        const [px, py] = p.points[i];
        const sx = r.x + ((px - cx) / span + 0.5) * r.w,
          sy = r.y + (0.5 - (py - cy) / span) * r.h;
        drawMarker(c, sx, sy, 3.5, diverging((p.values[i] - vmin) / (vmax - vmin)), 'circle', [60, 60, 60, 140]);
      }
    });
  });

  // Colour bar: one row per pixel from vmax (top) to vmin (bottom).
  const bx = width - barArea + 12,
    by = dataTop || titleH + 60,
    bh = dataH || height - by - 60;
  for (let yy = 0; yy < bh; yy++) fillRect(c, bx, by + yy, BAR_W, 1, diverging(1 - (yy + 0.5) / bh));
  strokeRect(c, bx - 1, by - 1, BAR_W + 2, bh + 2, INK);
  for (const v of barT.values) {
    if (v < vmin - 1e-12 || v > vmax + 1e-12) continue;
    const py = Math.round(by + (1 - (v - vmin) / (vmax - vmin)) * bh);
    fillRect(c, bx + BAR_W, py, 5, 1, INK);
    drawText(c, bx + BAR_W + 8, py + 0.5, formatTick(v, barT.step), { scale: s, color: INK, baseline: 'middle' });
  }
  drawText(c, bx + BAR_W + 8 + barLabelW + 10, by + bh / 2, label, { scale: s, color: INK, align: 'center', rotate: 'ccw' });
  return c;
};

const colourRange = (panels: readonly TsnePanel[], range?: readonly [number, number]): [number, number] => {
  if (range) {
    if (!(range[1] > range[0])) throw new RangeError(`plotTsneSideBySide: empty colour range [${range[0]}, ${range[1]}]`);
    return [range[0], range[1]];
  }
  const [lo, hi] = extent(panels.flatMap((p) => p.values)) ?? [-1, 1];
  const m = Math.max(1, Math.abs(lo), Math.abs(hi));
  return [-m, m];
};

export const plotTsneSideBySide = async (panels: readonly TsnePanel[], opts: TsnePlotOptions = {}): Promise<Buffer> =>
  encodePng(renderTsneSideBySide(panels, opts));
