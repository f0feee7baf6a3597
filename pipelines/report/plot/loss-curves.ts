/**
 * Loss curves: one line per loss term against the training step, optional log10 y axis,
 * optional validation series drawn dashed in the colour of the training series of the same
 * name. Sparse series (<= 40 points) also get markers so single evaluations stay visible.
 */
import { createCanvas, withClip, type Canvas } from '../raster/canvas.js';
import { encodePng } from '../raster/png.js';
import { drawMarker, drawPolyline, type MarkerShape } from '../raster/shapes.js';
import { drawText } from '../raster/text.js';
import { MUTED, seriesColor } from './colors.js';
import { drawPanel, layoutPanel, toPx, type AxisSpec } from './frame.js';
import { extent } from './extent.js';
import { drawLegend, legendSize, type LegendEntry } from './legend.js';
import { formatLogTick, formatTick, logTicks, niceTicks } from './nice-ticks.js';

export type Point = readonly [number, number];

export interface LossSeries {
  readonly name: string;
  readonly points: readonly Point[];
}

export interface LossPlotOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  readonly logY?: boolean;
  readonly xLabel?: string;
  readonly yLabel?: string;
  readonly validation?: readonly LossSeries[];
  readonly textScale?: number;
}

const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond'];
const SPARSE = 40;

export const renderLossCurves = (series: readonly LossSeries[], opts: LossPlotOptions = {}): Canvas => {
  const width = opts.width ?? 900,
    height = opts.height ?? 540,
    s = opts.textScale ?? 2;
  const val = opts.validation ?? [];
  const logY = opts.logY ?? false;
  const c = createCanvas(width, height);

  const colorOf = new Map<string, number>();
  series.forEach((sr, i) => colorOf.set(sr.name, i));
  val.forEach((v) => {
    if (!colorOf.has(v.name)) colorOf.set(v.name, colorOf.size);
  });

  const all = [...series, ...val].flatMap((sr) => sr.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0));
  const [x0, x1] = extent(all.map((p) => p[0])) ?? [0, 1];
  const [y0, y1] = extent(all.map((p) => p[1])) ?? [0, 1];
  const xt = niceTicks(x0, x1, 6);
  const xAxis: AxisSpec = { min: xt.min, max: xt.max, ticks: xt.values, format: (v) => formatTick(v, xt.step), label: opts.xLabel ?? 'step' };
  let yAxis: AxisSpec;
  if (logY && all.length) {
    const t = logTicks(y0, y1);
    yAxis = { min: t.min, max: t.max, log: true, ticks: t.values, format: formatLogTick, label: opts.yLabel ?? 'loss (log scale)' };
  } else {
    const t = niceTicks(y0, y1, 6);
    // A 2% margin beyond the outer ticks keeps points at the extremes off the frame.
    const pad = 0.02 * (t.max - t.min);
    yAxis = { min: t.min - pad, max: t.max + pad, ticks: t.values, format: (v) => formatTick(v, t.step), label: opts.yLabel ?? 'loss' };
  }

  const entries: LegendEntry[] = [
    ...series.map((sr, i) => ({
      label: sr.name,
      color: seriesColor(colorOf.get(sr.name)!),
      line: {},
      marker: sr.points.length <= SPARSE ? MARKERS[i % MARKERS.length] : undefined,
    })),
    ...val.map((v) => ({
      label: `${v.name} (val)`,
      color: seriesColor(colorOf.get(v.name)!),
      line: { dash: [8, 5] as const },
      marker: v.points.length <= SPARSE ? ('circle' as const) : undefined,
    })),
  ];
  const leg = legendSize(entries, s);
  const panel = layoutPanel({ x: 0, y: 0, w: width - leg.w - 16, h: height }, xAxis, yAxis, { title: opts.title ?? 'Training losses', scale: s });
  drawPanel(c, panel);

  const draw = (sr: LossSeries, idx: number, dashed: boolean, marker: MarkerShape | undefined) => {
    const color = seriesColor(idx);
    const pts = [...sr.points].sort((a, b) => a[0] - b[0]).map(([x, y]) => toPx(panel, x, y));
    drawPolyline(c, pts, color, { width: 2, dash: dashed ? [8, 5] : undefined });
    if (marker) for (const [px, py] of pts) drawMarker(c, px, py, 3.5, color, marker);
  };
  withClip(c, { x: panel.rect.x - 4, y: panel.rect.y - 4, w: panel.rect.w + 8, h: panel.rect.h + 8 }, () => {
    series.forEach((sr, i) => draw(sr, colorOf.get(sr.name)!, false, sr.points.length <= SPARSE ? MARKERS[i % MARKERS.length] : undefined));
    val.forEach((v) => draw(v, colorOf.get(v.name)!, true, v.points.length <= SPARSE ? 'circle' : undefined));
  });
  if (all.length === 0) {
    drawText(c, panel.rect.x + panel.rect.w / 2, panel.rect.y + panel.rect.h / 2, 'no data', { scale: s, color: MUTED, align: 'center', baseline: 'middle' });
  }
  drawLegend(c, width - leg.w - 8, panel.rect.y, entries, s);
  return c;
};

export const plotLossCurves = async (series: readonly LossSeries[], opts: LossPlotOptions = {}): Promise<Buffer> => encodePng(renderLossCurves(series, opts));
