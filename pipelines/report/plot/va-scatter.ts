/**
 * Predicted against true valence/arousal as two side-by-side panels (valence, arousal),
 * each a scatter of (true, predicted) with the identity line y = x. We chose two panels over
 * one VA plane with true->pred arrows because arrows turn into clutter beyond a few dozen
 * samples, while per-axis scatters stay readable for thousands and show bias and range
 * compression directly. Each panel's subtitle gives n, RMSE and CCC.
 */
import { createCanvas, withClip, type Canvas } from '../raster/canvas.js';
import { encodePng } from '../raster/png.js';
import { drawLine, drawMarker } from '../raster/shapes.js';
import { ccc, rmse } from '../tables/stats.js';
import { INK, seriesColor, withAlpha } from './colors.js';
import { drawPanel, drawTitle, layoutPanel, toPx, xPx, yPx, type AxisSpec } from './frame.js';
import { extent } from './extent.js';
import { formatTick, ticksWithin } from './nice-ticks.js';

export type VA = readonly [number, number];

export interface VaScatterOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
  /** Axis range for both axes of both panels; default [-1, 1], widened to fit the data. */
  readonly range?: readonly [number, number];
  readonly textScale?: number;
  /** Marker opacity; lower it for large n so density shows. Default picks by n. */
  readonly alpha?: number;
}

export const renderVaScatter = (yTrue: readonly VA[], yPred: readonly VA[], opts: VaScatterOptions = {}): Canvas => {
  if (yTrue.length !== yPred.length) throw new RangeError(`plotVaScatter: ${yTrue.length} true vs ${yPred.length} predicted`);
  const width = opts.width ?? 1000,
    height = opts.height ?? 540,
    s = opts.textScale ?? 2;
  const c = createCanvas(width, height);
  const [r0, r1] = opts.range ?? [-1, 1];
  const [d0, d1] = extent([...yTrue, ...yPred].flat()) ?? [r0, r1];
  const t = ticksWithin(Math.min(r0, d0), Math.max(r1, d1), 5);
  const alpha = opts.alpha ?? (yTrue.length > 2000 ? 0.25 : yTrue.length > 300 ? 0.45 : 0.75);
  const titleH = opts.title ? 30 : 0;
  if (opts.title) {
    drawTitle(c, width / 2, 8, opts.title, s);
  }
  const names = ['valence', 'arousal'];
  const half = Math.floor(width / 2);
  names.forEach((name, k) => {
    const tv = yTrue.map((p) => p[k]),
      pv = yPred.map((p) => p[k]);
    const axis = (label: string): AxisSpec => ({ min: t.min, max: t.max, ticks: t.values, format: (v) => formatTick(v, t.step), label });
    // square data area: shrink the outer box's width to match its height
    const outer = { x: k * half, y: titleH, w: half, h: height - titleH };
    const sub = yTrue.length ? `n=${yTrue.length}  RMSE ${rmse(tv, pv).toFixed(3)}  CCC ${ccc(tv, pv).toFixed(3)}` : 'no data';
    let panel = layoutPanel(outer, axis(`true ${name}`), axis(`predicted ${name}`), { title: name[0].toUpperCase() + name.slice(1), subtitle: sub, scale: s });
    const side = Math.min(panel.rect.w, panel.rect.h);
    panel = { ...panel, rect: { x: panel.rect.x + (panel.rect.w - side) / 2, y: panel.rect.y, w: side, h: side } };
    drawPanel(c, panel);
    withClip(c, panel.rect, () => {
      drawLine(c, xPx(panel, t.min), yPx(panel, t.min), xPx(panel, t.max), yPx(panel, t.max), withAlpha(INK, 0.6), 1.5);
      const color = withAlpha(seriesColor(k), alpha);
      for (let i = 0; i < tv.length; i++) {
        const [px, py] = toPx(panel, tv[i], pv[i]);
        drawMarker(c, px, py, 3, color, 'circle');
      }
    });
  });
  return c;
};

export const plotVaScatter = async (yTrue: readonly VA[], yPred: readonly VA[], opts: VaScatterOptions = {}): Promise<Buffer> =>
  encodePng(renderVaScatter(yTrue, yPred, opts));
