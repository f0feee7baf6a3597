/**
 * Text over the 5x7 font: each font pixel becomes a scale x scale block. Advance is 6 font
 * pixels per character (glyph plus one column of spacing). `rotate: 'ccw'` turns the text
 * 90 degrees counter-clockwise, reading bottom to top, for y-axis labels.
 */
import { fillRect, type Canvas, type Rgba } from './canvas.js';
import { GLYPH_ROWS_ABOVE, GLYPH_ROWS_BELOW, GLYPH_W, glyphFor } from './font-5x7.js';

export interface TextStyle {
  readonly scale?: number;
  readonly color?: Rgba;
  /** Horizontal anchor along the reading direction. */
  readonly align?: 'left' | 'center' | 'right';
  /** Vertical anchor across the reading direction: top of the caps, their middle, or the baseline. */
  readonly baseline?: 'top' | 'middle' | 'bottom';
  readonly rotate?: 'none' | 'ccw';
}

export const ADVANCE = GLYPH_W + 1;

/** Width in pixels of `text` at `scale` (no trailing spacing column). */
export const textWidth = (text: string, scale = 1): number => (text.length === 0 ? 0 : ([...text].length * ADVANCE - 1) * scale);

/** Height of the caps (without descenders) at `scale`. */
export const textHeight = (scale = 1): number => GLYPH_ROWS_ABOVE * scale;

/** Line pitch including descenders and one row of leading. */
export const lineHeight = (scale = 1): number => (GLYPH_ROWS_ABOVE + GLYPH_ROWS_BELOW + 1) * scale;

export const drawText = (c: Canvas, x: number, y: number, text: string, style: TextStyle = {}): void => {
  const s = style.scale ?? 1;
  const color = style.color ?? [0, 0, 0, 255];
  const w = textWidth(text, s);
  const h = textHeight(s);
  const along = style.align === 'center' ? -w / 2 : style.align === 'right' ? -w : 0;
  const across = style.baseline === 'middle' ? -h / 2 : style.baseline === 'bottom' ? -h : 0;
  // Snap the origin to whole pixels so glyph blocks stay crisp.
  const ccw = style.rotate === 'ccw';
  const ox = Math.round(ccw ? x + across : x + along);
  const oy = Math.round(ccw ? y - along : y + across);
  let pen = 0;
  for (const ch of text) {
    const rows = glyphFor(ch);
    for (let r = 0; r < rows.length; r++) {
      const bits = rows[r];
      for (let col = 0; col < GLYPH_W; col++) {
        if (!((bits >> (GLYPH_W - 1 - col)) & 1)) continue;
        const u = (pen + col) * s; // along the reading direction
        const v = r * s; // down from the top of the caps
        if (ccw) fillRect(c, ox + v, oy - u - s, s, s, color);
        else fillRect(c, ox + u, oy + v, s, s, color);
      }
    }
    pen += ADVANCE;
  }
};
