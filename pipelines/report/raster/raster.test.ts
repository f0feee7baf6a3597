import { describe, expect, it } from 'vitest';
import { blend, createCanvas, fillRect, withClip, type Canvas } from './canvas.js';
import { GLYPH_ROWS_ABOVE, GLYPH_ROWS_BELOW, GLYPHS } from './font-5x7.js';
import { drawLine, drawMarker, drawPolyline } from './shapes.js';
import { drawText, textWidth } from './text.js';

const px = (c: Canvas, x: number, y: number) => Array.from(c.data.subarray((y * c.width + x) * 4, (y * c.width + x) * 4 + 4));
const inkBox = (c: Canvas) => {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < c.height; y++)
    for (let x = 0; x < c.width; x++) {
      if (c.data[(y * c.width + x) * 4] < 128) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  return { x0, y0, x1, y1 };
};

describe('font', () => {
  it('covers printable ASCII with 5-bit rows, 7 rows or 7 + descenders', () => {
    for (let code = 32; code < 127; code++) {
      const g = GLYPHS.get(String.fromCharCode(code));
      expect(g, String.fromCharCode(code)).toBeDefined();
      expect([GLYPH_ROWS_ABOVE, GLYPH_ROWS_ABOVE + 1, GLYPH_ROWS_ABOVE + GLYPH_ROWS_BELOW]).toContain(g!.length);
      for (const row of g!) expect(row).toBeLessThan(32);
    }
  });
  it('draws text inside its measured box, and rotated text in the transposed box', () => {
    const c = createCanvas(200, 100);
    drawText(c, 10, 20, 'EH', { scale: 2 });
    expect(inkBox(c)).toEqual({ x0: 10, y0: 20, x1: 10 + textWidth('EH', 2) - 1, y1: 20 + 14 - 1 });
    const r = createCanvas(100, 200);
    drawText(r, 20, 100, 'EH', { scale: 2, rotate: 'ccw', align: 'center' });
    const b = inkBox(r);
    expect([b.x0, b.x1]).toEqual([20, 33]);
    expect(b.y1 - b.y0 + 1).toBe(textWidth('EH', 2));
    expect(Math.abs((b.y0 + b.y1 + 1) / 2 - 100)).toBeLessThanOrEqual(1);
  });
});

describe('canvas and shapes', () => {
  it('blends with coverage and respects the clip', () => {
    const c = createCanvas(4, 4);
    blend(c, 1, 1, [0, 0, 0, 255], 0.5);
    expect(px(c, 1, 1)).toEqual([128, 128, 128, 255]);
    withClip(c, { x: 2, y: 2, w: 2, h: 2 }, () => fillRect(c, 0, 0, 4, 4, [255, 0, 0, 255]));
    expect(px(c, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(px(c, 3, 3)).toEqual([255, 0, 0, 255]);
    expect(c.clip).toBeUndefined();
  });
  it('anti-aliases a line: full ink on it, partial at its edge, none away from it', () => {
    const c = createCanvas(40, 40);
    drawLine(c, 5, 20.5, 35, 20.5, [0, 0, 0, 255], 2);
    expect(px(c, 20, 20)[0]).toBe(0);
    const edge = px(c, 20, 21)[0];
    expect(edge).toBeGreaterThanOrEqual(0);
    expect(px(c, 20, 23)[0]).toBe(255);
    const diag = createCanvas(40, 40);
    drawLine(diag, 2, 3, 37, 30, [0, 0, 0, 255], 1.5);
    const greys = new Set<number>();
    for (let i = 0; i < diag.data.length; i += 4) greys.add(diag.data[i]);
    expect(greys.size).toBeGreaterThan(5); // intermediate shades, not a jagged 2-level line
  });
  it('dashed polylines leave gaps; NaN points break the line', () => {
    const solid = createCanvas(100, 10),
      dashed = createCanvas(100, 10);
    drawPolyline(
      solid,
      [
        [0, 5],
        [100, 5],
      ],
      [0, 0, 0, 255],
      { width: 2 },
    );
    drawPolyline(
      dashed,
      [
        [0, 5],
        [50, 5],
        [100, 5],
      ],
      [0, 0, 0, 255],
      { width: 2, dash: [8, 5] },
    );
    const inked = (c: Canvas) => {
      let k = 0;
      for (let x = 0; x < 100; x++) if (px(c, x, 5)[0] < 128) k++;
      return k;
    };
    expect(inked(solid)).toBe(100);
    expect(inked(dashed)).toBeGreaterThan(50);
    expect(inked(dashed)).toBeLessThan(85); // 8-on-5-off is 62% ink, plus the dashes' rounded ends
    const broken = createCanvas(100, 10);
    drawPolyline(
      broken,
      [
        [0, 5],
        [40, 5],
        [NaN, NaN],
        [60, 5],
        [100, 5],
      ],
      [0, 0, 0, 255],
      { width: 2 },
    );
    expect(px(broken, 50, 5)[0]).toBe(255);
  });
  it('markers cover about their area', () => {
    const c = createCanvas(30, 30);
    drawMarker(c, 15, 15, 5, [0, 0, 0, 255], 'circle');
    let ink = 0;
    for (let i = 0; i < c.data.length; i += 4) ink += (255 - c.data[i]) / 255;
    expect(ink).toBeGreaterThan(Math.PI * 25 * 0.95);
    expect(ink).toBeLessThan(Math.PI * 25 * 1.05);
  });
});
