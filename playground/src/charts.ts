/**
 * The page's charts, drawn on canvases with the 2D context (no chart library): line charts over
 * iterations and the valence-arousal disc with points on it. Canvases are sized in CSS pixels
 * and drawn at the device pixel ratio so they stay sharp.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  readonly dash?: readonly number[];
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

/** A 2D context whose units are CSS pixels. */
export const context = (c: HTMLCanvasElement): { g: CanvasRenderingContext2D; w: number; h: number } => {
  const w = c.clientWidth || c.width;
  const h = c.clientHeight || c.height;
  const r = globalThis.devicePixelRatio || 1;
  if (c.width !== Math.round(w * r) || c.height !== Math.round(h * r)) {
    c.width = Math.round(w * r);
    c.height = Math.round(h * r);
  }
  const g = c.getContext('2d')!;
  g.setTransform(r, 0, 0, r, 0, 0);
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  return { g, w, h };
};

const niceTicks = (lo: number, hi: number, n = 4): number[] => {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= step0) ?? step0;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Math.abs(v) < 1e-12 ? 0 : v);
  return out;
};

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/** Lines over x; y range from the data unless given. Non-finite points are skipped. */
export const lineChart = (c: HTMLCanvasElement, series: readonly Series[], o: { title: string; yRange?: readonly [number, number]; xMax?: number }): void => {
  const { g, w, h } = context(c);
  const pad = { l: 40, r: 14, t: 18, b: 30 };
  const pts = series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  let [y0, y1] = o.yRange ?? [Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1]))];
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const x1 = Math.max(o.xMax ?? 0, ...pts.map((p) => p[0]), 1);
  const X = (x: number) => pad.l + (x / x1) * (w - pad.l - pad.r);
  const Y = (y: number) => h - pad.b - ((y - y0) / (y1 - y0)) * (h - pad.t - pad.b);
  g.fillStyle = '#222';
  g.fillText(o.title, pad.l, 12);
  g.strokeStyle = '#ddd';
  g.lineWidth = 1;
  for (const t of niceTicks(y0, y1)) {
    g.beginPath();
    g.moveTo(pad.l, Y(t));
    g.lineTo(w - pad.r, Y(t));
    g.stroke();
    g.fillText(fmt(t), 2, Y(t) + 4);
  }
  for (const t of niceTicks(0, x1)) g.fillText(String(Math.round(t)), X(t) - 6, h - pad.b + 12);
  g.fillText('iteration', w / 2 - 20, h - 4);
  for (const s of series) {
    g.strokeStyle = s.color;
    g.setLineDash(s.dash ? [...s.dash] : []);
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (started) g.lineTo(X(x), Y(y));
      else g.moveTo(X(x), Y(y));
      started = true;
    }
    g.stroke();
  }
  g.setLineDash([]);
  // legend, top right, on a veil so the lines under it do not hide the names
  const lw = Math.max(0, ...series.map((s) => g.measureText(s.name).width)) + 30;
  g.fillStyle = 'rgba(255,255,255,0.85)';
  g.fillRect(w - pad.r - lw, pad.t, lw, series.length * 13 + 4);
  let ly = pad.t + 2;
  for (const s of series) {
    const tw = g.measureText(s.name).width;
    g.strokeStyle = s.color;
    g.setLineDash(s.dash ? [...s.dash] : []);
    g.beginPath();
    g.moveTo(w - pad.r - tw - 26, ly + 4);
    g.lineTo(w - pad.r - tw - 6, ly + 4);
    g.stroke();
    g.fillStyle = '#333';
    g.fillText(s.name, w - pad.r - tw - 2, ly + 8);
    ly += 13;
  }
  g.setLineDash([]);
};

export interface Disc {
  readonly g: CanvasRenderingContext2D;
  /** VA -> canvas pixels. */
  at(v: number, a: number): [number, number];
  readonly radius: number;
}

/** The valence-arousal disc (unit circle, axes, quadrant labels). */
export const vaDisc = (c: HTMLCanvasElement, title: string): Disc => {
  const { g, w, h } = context(c);
  const radius = Math.min(w, h - 16) / 2 - 14;
  const cx = w / 2,
    cy = 16 + (h - 16) / 2;
  g.fillStyle = '#222';
  g.fillText(title, 4, 12);
  g.strokeStyle = '#bbb';
  g.lineWidth = 1;
  g.beginPath();
  g.arc(cx, cy, radius, 0, 2 * Math.PI);
  g.moveTo(cx - radius, cy);
  g.lineTo(cx + radius, cy);
  g.moveTo(cx, cy - radius);
  g.lineTo(cx, cy + radius);
  g.stroke();
  g.fillStyle = '#888';
  g.fillText('valence', cx + radius - 38, cy - 4);
  g.fillText('arousal', cx + 4, cy - radius + 10);
  return { g, radius, at: (v, a) => [cx + v * radius, cy - a * radius] };
};

export const dot = (d: Disc, v: number, a: number, color: string, r = 2.5): void => {
  const [x, y] = d.at(v, a);
  d.g.fillStyle = color;
  d.g.beginPath();
  d.g.arc(x, y, r, 0, 2 * Math.PI);
  d.g.fill();
};

/** A colour for a value in [-1, 1] (blue - grey - red), for points coloured by valence. */
export const diverging = (t: number): string => {
  const u = Math.max(-1, Math.min(1, t));
  const r = u > 0 ? 200 : Math.round(200 + u * 170);
  const b = u < 0 ? 200 : Math.round(200 - u * 170);
  const gr = Math.round(200 - Math.abs(u) * 120);
  return `rgb(${r},${gr},${b})`;
};

/** An RGBA image (size x size) as a canvas, for thumbnails. */
export const imageCanvas = (rgba: ArrayLike<number>, size: number): HTMLCanvasElement => {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  c.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(rgba), size, size), 0, 0);
  return c;
};
