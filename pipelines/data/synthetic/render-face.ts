/**
 * Renders one synthetic face: appearance + shown expression + nuisances -> RGB canvas, plus the
 * 68 iBUG-style landmarks in pixels (for the AFEW-VA writer). Parts are laid out in a face frame
 * (origin at the head centre, units of the image side) and mapped to pixels by the head pose.
 *
 * Expression cues (subtle by design, a few pixels at 64x64):
 *   valence -> mouth-corner lift (smile/frown) and, below zero, inner-brow tilt;
 *   arousal -> mouth opening, brow height, eye openness; a smile also narrows the eyes.
 */
import type { Rng } from '../../../lib/rng/rng.js';
import type { Appearance, Nuisance } from './face-model.js';
import { canvas, fillEllipse, fillGradient, fillPolygon, quadratic, strokeEllipse, strokePolyline, type Canvas, type Point, type Rgb } from './raster.js';

export interface RenderedFace {
  readonly canvas: Canvas;
  readonly landmarks: [number, number][];
}

/** Expression geometry from shown VA, in image-side units. Exported for tests of monotonicity. */
export const expressionGeometry = (v: number, a: number) => ({
  smile: 0.04 * v,
  open: Math.max(0, 0.035 * a + 0.01 * v + 0.006),
  browRaise: 0.018 * a,
  innerBrowUp: 0.03 * Math.max(0, -v) * -a,
  eyeOpen: Math.max(0.3, Math.min(1.6, 1 + 0.4 * a - 0.2 * Math.max(0, v))),
});

const HEAD_Y = 0.46;
const shade = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];

export const renderFace = (ap: Appearance, shown: readonly [number, number], nz: Nuisance, size: number, rng: Rng): RenderedFace => {
  const c = canvas(size, size);
  const cos = Math.cos(nz.angle),
    sin = Math.sin(nz.angle),
    s = nz.scale;
  const P = (x: number, y: number): Point => [(0.5 + nz.dx + s * (cos * x - sin * y)) * size, (HEAD_Y + nz.dy + s * (sin * x + cos * y)) * size];
  const L = (len: number) => len * s * size; // a length in pixels
  const E = (x: number, y: number, rx: number, ry: number, angle = 0) => {
    const [cx, cy] = P(x, y);
    return { cx, cy, rx: L(rx), ry: L(ry), angle: angle + nz.angle };
  };
  const { faceW: W, faceH: H } = ap;
  const g = expressionGeometry(shown[0], shown[1]);

  fillGradient(c, ap.backgroundTop, ap.backgroundBottom);
  fillEllipse(c, E(0, H + 0.24, 0.46, 0.22), ap.shirt); // shoulders
  fillEllipse(c, E(0, H * 0.85, W * 0.5, 0.14), shade(ap.skin, 0.85)); // neck
  if (ap.hairStyle === 'long') fillEllipse(c, E(0, 0.1, W * 1.22, H * 1.05), ap.hair);
  for (const side of [-1, 1]) fillEllipse(c, E(side * W * 0.97, -0.01, 0.03, 0.055), shade(ap.skin, 0.9)); // ears
  fillEllipse(c, E(0, 0, W, H), ap.skin); // head
  drawHair(c, ap, E, W, H);

  // Eyes: white, iris, pupil; openness squashes them vertically.
  const eyeRy = ap.eyeSize * 0.6 * g.eyeOpen;
  for (const side of [-1, 1]) {
    const ex = side * ap.eyeSep;
    fillEllipse(c, E(ex, ap.eyeY, ap.eyeSize, eyeRy), [0.96, 0.96, 0.94]);
    const ir = ap.eyeSize * 0.5;
    fillEllipse(c, E(ex, ap.eyeY, ir, Math.min(ir, eyeRy * 0.95)), ap.iris);
    fillEllipse(c, E(ex, ap.eyeY, ir * 0.45, Math.min(ir * 0.45, eyeRy * 0.6)), [0.03, 0.03, 0.03]);
  }
  // Brows: inner end rises with `innerBrowUp` (sadness) and both with arousal.
  const browY = ap.eyeY - ap.eyeSize * 1.25 - g.browRaise;
  const brows: Point[][] = [-1, 1].map((side) => {
    const inner: Point = [side * (ap.eyeSep - ap.eyeSize * 0.9), browY - g.innerBrowUp];
    const outer: Point = [side * (ap.eyeSep + ap.eyeSize * 1.15), browY + 0.005];
    const ctrl: Point = [side * ap.eyeSep, browY - 0.018];
    return quadratic(inner, ctrl, outer, 8).map(([x, y]) => P(x, y));
  });
  for (const b of brows) strokePolyline(c, b, L(ap.browWidth), shade(ap.hair, 0.8));
  // Nose: a shaded ridge and the nostril shadow.
  const noseTip = ap.eyeY + ap.noseLen;
  strokePolyline(c, [P(0, ap.eyeY + 0.02), P(ap.noseW * 0.35, noseTip)], L(0.012), shade(ap.skin, 0.78), 0.7);
  fillEllipse(c, E(0, noseTip, ap.noseW, ap.noseW * 0.45), shade(ap.skin, 0.72), 0.6);
  // Mouth: corners lift with the smile; the lips part with `open`.
  const my = noseTip + (H - noseTip) * 0.42;
  const mouth = mouthCurves(ap.mouthW, my, g.smile, g.open);
  if (g.open > 0.008) {
    fillPolygon(
      c,
      [...mouth.upper, ...[...mouth.lower].reverse()].map(([x, y]) => P(x, y)),
      [0.25, 0.05, 0.07],
    );
    strokePolyline(
      c,
      mouth.lower.map(([x, y]) => P(x, y)),
      L(0.014),
      ap.lips,
    );
  }
  strokePolyline(
    c,
    mouth.upper.map(([x, y]) => P(x, y)),
    L(0.014),
    ap.lips,
  );
  if (ap.glasses) {
    for (const side of [-1, 1]) strokeEllipse(c, E(side * ap.eyeSep, ap.eyeY, ap.eyeSize * 1.45, ap.eyeSize * 1.1), L(0.012), ap.glasses);
    strokePolyline(c, [P(-ap.eyeSep + ap.eyeSize * 1.45, ap.eyeY), P(ap.eyeSep - ap.eyeSize * 1.45, ap.eyeY)], L(0.012), ap.glasses);
  }
  applyCamera(c, nz, rng);
  return { canvas: c, landmarks: landmarks68(ap, g, P, brows, noseTip, mouth) };
};

const mouthCurves = (mw: number, my: number, smile: number, open: number) => {
  const cornerY = my - smile;
  // Control points chosen so each curve's midpoint lands where wanted: mid = (corner + ctrl) / 2.
  const upperMid = my - open / 2;
  const lowerMid = my + open / 2 + Math.max(0, smile) * 0.4;
  return {
    upper: quadratic([-mw, cornerY], [0, 2 * upperMid - cornerY], [mw, cornerY], 12),
    lower: quadratic([-mw, cornerY], [0, 2 * lowerMid - cornerY], [mw, cornerY], 12),
  };
};

type EllipseAt = (x: number, y: number, rx: number, ry: number, angle?: number) => { cx: number; cy: number; rx: number; ry: number; angle: number };

const drawHair = (c: Canvas, ap: Appearance, E: EllipseAt, W: number, H: number) => {
  if (ap.hairStyle === 'bald') return;
  fillEllipse(c, E(0, -H * 0.72, W * 1.06, H * 0.45), ap.hair); // cap over the top of the head
  if (ap.hairStyle === 'bun') fillEllipse(c, E(0, -H * 1.12, 0.075, 0.065), ap.hair);
  if (ap.hairStyle === 'curly') for (let k = -3; k <= 3; k++) fillEllipse(c, E(k * W * 0.33, -H * 0.85 + Math.abs(k) * 0.03, 0.05, 0.05), shade(ap.hair, 1.1));
  if (ap.hairStyle === 'long') for (const side of [-1, 1]) fillEllipse(c, E(side * W * 0.95, H * 0.1, W * 0.22, H * 0.75), ap.hair);
};

/**
 * Sensor noise comes from a table of standard normals drawn once from the seeded Rng; each frame
 * reads it from an Rng-drawn start with an Rng-drawn odd stride. Drawing 12K fresh normals per
 * 64x64 frame cost more than all the rendering; the table keeps noise seeded and varied per frame.
 */
const NOISE_BITS = 16;
const noiseTables = new WeakMap<Rng, Float32Array>();
const noiseTable = (rng: Rng): Float32Array => {
  let t = noiseTables.get(rng);
  if (!t) {
    t = new Float32Array(1 << NOISE_BITS);
    rng.fillNormal(t);
    noiseTables.set(rng, t);
  }
  return t;
};

/** Lighting gain with a linear gradient, then Gaussian sensor noise. */
const applyCamera = (c: Canvas, nz: Nuisance, rng: Rng) => {
  const d = c.data;
  const table = noiseTable(rng);
  const mask = table.length - 1;
  let at = rng.int(table.length);
  const stride = 2 * rng.int(table.length >> 1) + 1; // odd: visits every entry before repeating
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const gain = nz.light * (1 + nz.lightX * ((x + 0.5) / c.width - 0.5) + nz.lightY * ((y + 0.5) / c.height - 0.5));
      const o = (y * c.width + x) * 3;
      for (let k = 0; k < 3; k++) {
        d[o + k] = d[o + k] * gain + nz.noise * table[at];
        at = (at + stride) & mask;
      }
    }
  }
};

/** The 68 iBUG landmarks (jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67) in pixels. */
const landmarks68 = (
  ap: Appearance,
  g: ReturnType<typeof expressionGeometry>,
  P: (x: number, y: number) => Point,
  brows: Point[][],
  noseTip: number,
  mouth: { upper: Point[]; lower: Point[] },
): [number, number][] => {
  const pts: Point[] = [];
  for (let k = 0; k <= 16; k++) {
    const t = Math.PI * (1 - k / 16);
    pts.push(P(ap.faceW * Math.cos(t), ap.faceH * Math.sin(t)));
  }
  // Brows: image-left brow first (the subject's right), 5 points each, outer to inner then inner to outer.
  pts.push(
    ...[...brows[0]]
      .reverse()
      .filter((_, i) => i % 2 === 0)
      .slice(0, 5),
  );
  pts.push(...brows[1].filter((_, i) => i % 2 === 0).slice(0, 5));
  for (let k = 0; k < 4; k++) pts.push(P(0, ap.eyeY + ((k + 1) / 4) * (noseTip - ap.eyeY) * 0.9));
  for (let k = -2; k <= 2; k++) pts.push(P(k * ap.noseW * 0.5, noseTip + 0.01 * (1 - Math.abs(k) / 2)));
  const eyeRy = ap.eyeSize * 0.6 * g.eyeOpen;
  for (const side of [-1, 1]) {
    for (let k = 0; k < 6; k++) {
      const t = Math.PI * (k / 3); // corner, upper x2, corner, lower x2
      pts.push(P(side * ap.eyeSep - ap.eyeSize * Math.cos(t) * side, ap.eyeY - eyeRy * Math.sin(t)));
    }
  }
  // Outer lip 48-59: 7 upper points corner to corner, 5 lower back; inner lip 60-67 likewise (4 + 4).
  const { upper: u, lower: l } = mouth;
  const outer = [0, 2, 4, 6, 8, 10, 12].map((i) => u[i]).concat([10, 8, 6, 4, 2].map((i) => l[i]));
  const inner = [1, 4, 6, 8, 11].map((i) => u[i]).concat([8, 6, 4].map((i) => l[i]));
  pts.push(...outer.map(([x, y]) => P(x, y)), ...inner.map(([x, y]) => P(x, y)));
  return pts.map(([x, y]) => [x, y]);
};
