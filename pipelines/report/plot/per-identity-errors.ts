/**
 * Per-identity errors as horizontal grouped bars (valence and arousal RMSE per identity),
 * sorted worst first so the identities the model serves least sit at the top. Horizontal
 * bars keep identity names readable however many there are; the canvas grows with the
 * number of rows, capped at `maxRows` (the worst ones, with the cut stated in the subtitle).
 * When CCC is given it is printed in a column at the right.
 */
import { createCanvas, fillRect, type Canvas } from '../raster/canvas.js';
import { encodePng } from '../raster/png.js';
import type { IdentityRow } from '../types.js';
import { drawText, lineHeight, textWidth } from '../raster/text.js';
import { INK, MUTED, seriesColor } from './colors.js';
import { extent } from './extent.js';
import { drawPanel, layoutPanel, xPx, yPx, type AxisSpec } from './frame.js';
import { drawLegend, legendSize, type LegendEntry } from './legend.js';
import { formatTick, niceTicks } from './nice-ticks.js';

/** The row type lives in ../types.ts so tables and plots share it. */
export type IdentityErrorRow = IdentityRow;

export interface PerIdentityOptions {
  readonly title?: string;
  readonly width?: number;
  /** Pixels per identity row; the height follows from it. */
  readonly rowHeight?: number;
  readonly maxRows?: number;
  readonly textScale?: number;
}

/** Rows sorted by mean RMSE over the two axes, worst first; ties by identity name for stable output. */
export const sortIdentityRows = (rows: readonly IdentityErrorRow[]): IdentityErrorRow[] =>
  [...rows].sort((a, b) => (b.rmseV + b.rmseA) / 2 - (a.rmseV + a.rmseA) / 2 || a.identity.localeCompare(b.identity));

const fmtCcc = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '  -  ' : x.toFixed(2).padStart(5));

export const renderPerIdentityErrors = (rows: readonly IdentityErrorRow[], opts: PerIdentityOptions = {}): Canvas => {
  const s = opts.textScale ?? 2,
    width = opts.width ?? 900;
  const rowH = opts.rowHeight ?? Math.max(lineHeight(s) + 8, 26);
  const sorted = sortIdentityRows(rows);
  const shown = sorted.slice(0, opts.maxRows ?? 60);
  const nRows = Math.max(1, shown.length);
  const withCcc = shown.some((r) => r.cccV !== undefined || r.cccA !== undefined);
  const entries: LegendEntry[] = [
    { label: 'valence RMSE', color: seriesColor(0), swatch: true },
    { label: 'arousal RMSE', color: seriesColor(1), swatch: true },
  ];
  const leg = legendSize(entries, s);
  const cccHeader = 'CCC v / a';
  const cccW = withCcc ? Math.max(textWidth(cccHeader, s), textWidth('-0.00 / -0.00', s)) + 16 : 0;
  const frameH = 130 + leg.h; // title, subtitle, ticks, axis label and legend
  const height = frameH + nRows * rowH;
  const c = createCanvas(width, height);

  const [, xMax] = extent(shown.flatMap((r) => [r.rmseV, r.rmseA])) ?? [0, 1];
  const t = niceTicks(0, xMax > 0 ? xMax : 1, 6);
  const xAxis: AxisSpec = { min: 0, max: t.max, ticks: t.values, format: (v) => formatTick(v, t.step), label: 'RMSE (lower is better)' };
  // Category k sits at y = nRows - k - 0.5 so the first (worst) row is at the top.
  const yAxis: AxisSpec = {
    min: 0,
    max: nRows,
    ticks: [],
    format: String,
    categories: shown.map((r, k) => ({ at: nRows - k - 0.5, label: `${r.identity} (n=${r.n})` })),
  };
  const subtitle = sorted.length > shown.length ? `worst ${shown.length} of ${sorted.length} identities` : `${sorted.length} identities, worst first`;
  const panel = layoutPanel({ x: 0, y: 0, w: width - cccW, h: height - leg.h - 12 }, xAxis, yAxis, {
    title: opts.title ?? 'Per-identity error',
    subtitle,
    scale: s,
  });
  drawPanel(c, panel);

  const barH = (rowH - 8) / 2;
  shown.forEach((r, k) => {
    const yTop = yPx(panel, nRows - k) + 4;
    const x0 = xPx(panel, 0);
    fillRect(c, x0, yTop, Math.max(0, xPx(panel, r.rmseV) - x0), barH, seriesColor(0));
    fillRect(c, x0, yTop + barH, Math.max(0, xPx(panel, r.rmseA) - x0), barH, seriesColor(1));
    if (withCcc) {
      drawText(c, panel.rect.x + panel.rect.w + 16, yTop + barH, `${fmtCcc(r.cccV)} / ${fmtCcc(r.cccA)}`, { scale: s, color: INK, baseline: 'middle' });
    }
  });
  if (withCcc) drawText(c, panel.rect.x + panel.rect.w + 16, panel.rect.y - lineHeight(s), cccHeader, { scale: s, color: MUTED });
  if (shown.length === 0)
    drawText(c, panel.rect.x + panel.rect.w / 2, panel.rect.y + panel.rect.h / 2, 'no identities', {
      scale: s,
      color: MUTED,
      align: 'center',
      baseline: 'middle',
    });
  drawLegend(c, panel.rect.x, height - leg.h - 6, entries, s);
  return c;
};

export const plotPerIdentityErrors = async (rows: readonly IdentityErrorRow[], opts: PerIdentityOptions = {}): Promise<Buffer> =>
  encodePng(renderPerIdentityErrors(rows, opts));
