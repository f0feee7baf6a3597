/**
 * A plot panel: a data rectangle with two axes. `layoutPanel` reserves room for the title,
 * tick labels and axis labels inside an outer rectangle; `drawPanel` paints grid, frame,
 * ticks and labels; `toPx` maps data coordinates into the data rectangle (log10 where asked).
 */
import { fillRect, strokeRect, type Canvas, type Rect } from '../raster/canvas.js';
import { drawText, lineHeight, textHeight, textWidth } from '../raster/text.js';
import { GRID, INK, MUTED } from './colors.js';

export interface AxisSpec {
  readonly min: number;
  readonly max: number;
  readonly log?: boolean;
  readonly ticks: readonly number[];
  readonly format: (v: number) => string;
  readonly label?: string;
  /** Category labels drawn at the given positions instead of numeric ticks. */
  readonly categories?: readonly { readonly at: number; readonly label: string }[];
}

export interface Panel {
  readonly outer: Rect; // the whole panel, title and labels included
  readonly rect: Rect; // data area in pixels
  readonly x: AxisSpec;
  readonly y: AxisSpec;
  readonly title?: string;
  readonly subtitle?: string;
  readonly scale: number; // text scale
}

const TICK = 5;
const MARGIN = 8; // blank border inside the outer rectangle
const GAP = 6;

const norm = (a: AxisSpec, v: number): number =>
  a.log ? (Math.log10(v) - Math.log10(a.min)) / (Math.log10(a.max) - Math.log10(a.min)) : (v - a.min) / (a.max - a.min);

export const xPx = (p: Panel, v: number): number => p.rect.x + norm(p.x, v) * p.rect.w;
export const yPx = (p: Panel, v: number): number => p.rect.y + p.rect.h - norm(p.y, v) * p.rect.h;
/** Data -> pixel; NaN for values a log axis cannot show, so polylines break there. */
export const toPx = (p: Panel, x: number, y: number): [number, number] => [p.x.log && !(x > 0) ? NaN : xPx(p, x), p.y.log && !(y > 0) ? NaN : yPx(p, y)];

const yLabels = (a: AxisSpec): string[] => (a.categories ? a.categories.map((c) => c.label) : a.ticks.map(a.format));

export interface PanelText {
  readonly title?: string;
  readonly subtitle?: string;
  readonly scale?: number;
}

export const layoutPanel = (outer: Rect, x: AxisSpec, y: AxisSpec, text: PanelText = {}): Panel => {
  const s = text.scale ?? 2;
  const lh = lineHeight(s);
  const top = GAP + (text.title ? lh : 0) + (text.subtitle ? lh : 0) + GAP + textHeight(s) / 2;
  const yLabelW = Math.max(0, ...yLabels(y).map((l) => textWidth(l, s)));
  const left = MARGIN + (y.label ? lh + GAP : 0) + yLabelW + TICK + GAP;
  const bottom = TICK + GAP + lh + (x.label ? lh + GAP : 0);
  const right = textWidth(x.ticks.length ? x.format(x.ticks[x.ticks.length - 1]) : '', s) / 2 + MARGIN;
  return {
    outer,
    rect: { x: outer.x + left, y: outer.y + top, w: Math.max(10, outer.w - left - right), h: Math.max(10, outer.h - top - bottom) },
    x,
    y,
    title: text.title,
    subtitle: text.subtitle,
    scale: s,
  };
};

export interface PanelStyle {
  readonly grid?: boolean;
  readonly showXTicks?: boolean;
  readonly showYTicks?: boolean;
}

export const drawPanel = (c: Canvas, p: Panel, style: PanelStyle = {}): void => {
  const { rect: r, scale: s } = p;
  const grid = style.grid ?? true;
  const showX = style.showXTicks ?? true,
    showY = style.showYTicks ?? true;
  const right = r.x + r.w,
    bottom = r.y + r.h;
  if (showX && !p.x.categories) {
    for (const t of p.x.ticks) {
      const px = Math.round(xPx(p, t));
      if (px < r.x - 0.5 || px > right + 0.5) continue;
      if (grid) fillRect(c, px, r.y, 1, r.h, GRID);
      fillRect(c, px, bottom, 1, TICK, INK);
      drawText(c, px + 0.5, bottom + TICK + GAP, p.x.format(t), { scale: s, color: INK, align: 'center' });
    }
  }
  if (showY) {
    const marks = p.y.categories ?? p.y.ticks.map((t) => ({ at: t, label: p.y.format(t) }));
    for (const m of marks) {
      const py = Math.round(yPx(p, m.at));
      if (py < r.y - 0.5 || py > bottom + 0.5) continue;
      if (grid && !p.y.categories) fillRect(c, r.x, py, r.w, 1, GRID);
      fillRect(c, r.x - TICK, py, TICK, 1, INK);
      drawText(c, r.x - TICK - GAP, py + 0.5, m.label, { scale: s, color: INK, align: 'right', baseline: 'middle' });
    }
  }
  strokeRect(c, r.x - 1, r.y - 1, r.w + 2, r.h + 2, INK);
  if (p.x.label) {
    drawText(c, r.x + r.w / 2, bottom + TICK + GAP + lineHeight(s) + GAP, p.x.label, { scale: s, color: INK, align: 'center' });
  }
  if (p.y.label) {
    const yLabelW = Math.max(0, ...yLabels(p.y).map((l) => textWidth(l, s)));
    const x = r.x - TICK - GAP - yLabelW - GAP - lineHeight(s);
    drawText(c, x, r.y + r.h / 2, p.y.label, { scale: s, color: INK, align: 'center', rotate: 'ccw' });
  }
  let ty = p.outer.y + GAP;
  if (p.title) {
    drawTitle(c, r.x + r.w / 2, ty, p.title, s);
    ty += lineHeight(s);
  }
  if (p.subtitle) drawText(c, r.x + r.w / 2, ty, p.subtitle, { scale: s, color: MUTED, align: 'center' });
};

/** Bold-looking text: the same glyphs drawn twice, one pixel apart. */
export const drawTitle = (c: Canvas, x: number, y: number, text: string, scale: number): void => {
  drawText(c, x, y, text, { scale, color: INK, align: 'center' });
  drawText(c, x + 1, y, text, { scale, color: INK, align: 'center' });
};
