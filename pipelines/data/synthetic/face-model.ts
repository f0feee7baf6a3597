/**
 * The generative model of the synthetic benchmark: who a person is (appearance), how they feel
 * over a clip (emotion profile), how it shows on their face (expressive style), and what the
 * camera adds (nuisances). All lengths are fractions of the image side, so any resolution renders
 * the same face. Every draw comes from an explicit Rng.
 *
 * The benchmark's point is the identity shortcut of wild video data: each training identity
 * covers a narrow, personal region of valence-arousal space and has a strong, stable look, so
 * appearance alone predicts emotion on training identities; held-out identities share the
 * appearance distribution but have their own emotion centres, so that shortcut fails on them.
 * Labels are the felt emotion; the face shows gain * VA + resting offset (the person's style),
 * an identity-specific shift of exactly the kind ELIM normalises away.
 */
import type { Rng } from '../../../lib/rng/rng.js';
import type { Rgb } from './raster.js';

export type HairStyle = 'short' | 'long' | 'bald' | 'bun' | 'curly';

export interface Appearance {
  readonly skin: Rgb;
  readonly faceW: number; // head ellipse half-width
  readonly faceH: number; // head ellipse half-height
  readonly eyeSep: number; // half distance between eye centres
  readonly eyeSize: number; // eye half-width
  readonly eyeY: number; // eye line, relative to the head centre
  readonly iris: Rgb;
  readonly noseLen: number;
  readonly noseW: number;
  readonly mouthW: number; // mouth half-width
  readonly lips: Rgb;
  readonly browWidth: number; // stroke width, fraction of the image side
  readonly hair: Rgb;
  readonly hairStyle: HairStyle;
  readonly backgroundTop: Rgb;
  readonly backgroundBottom: Rgb;
  readonly shirt: Rgb;
  readonly glasses: Rgb | null;
}

export interface EmotionProfile {
  /** The identity's personal centre in VA space. */
  readonly centre: readonly [number, number];
  /** Stationary standard deviation of the walk around the centre (narrow: 0.08-0.18). */
  readonly spread: number;
  /** Mean reversion per frame of the Ornstein-Uhlenbeck walk (smooth, video-like trajectories). */
  readonly reversion: number;
}

export interface ExpressiveStyle {
  /** How strongly felt emotion shows (0.6-1.4). */
  readonly gain: number;
  /** What the resting face shows on each axis (a neutral face that looks slightly happy or sad). */
  readonly offset: readonly [number, number];
}

export interface Identity {
  readonly name: string;
  readonly appearance: Appearance;
  readonly profile: EmotionProfile;
  readonly style: ExpressiveStyle;
}

/** Per-frame camera and head nuisances. */
export interface Nuisance {
  readonly angle: number; // head roll, radians
  readonly dx: number;
  readonly dy: number;
  readonly scale: number;
  readonly light: number; // global gain
  readonly lightX: number; // horizontal gradient of the gain across the image
  readonly lightY: number;
  readonly noise: number; // sensor noise sd, [0, 1] units
}

const uni = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const jitter = (rng: Rng, c: Rgb, s: number): Rgb => [c[0] + s * rng.normal(), c[1] + s * rng.normal(), c[2] + s * rng.normal()];
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];
/** A saturated-ish colour from a hue angle: backgrounds and shirts, distinct across identities. */
const hueColour = (rng: Rng, sat: number, val: number): Rgb => {
  const h = rng.uniform() * 6;
  const f = h - Math.floor(h);
  const p = val * (1 - sat),
    q = val * (1 - sat * f),
    t = val * (1 - sat * (1 - f));
  return (
    [
      [val, t, p],
      [q, val, p],
      [p, val, t],
      [p, q, val],
      [t, p, val],
      [val, p, q],
    ] as const
  )[Math.floor(h) % 6];
};

const SKIN_LIGHT: Rgb = [0.96, 0.8, 0.69];
const SKIN_DARK: Rgb = [0.34, 0.22, 0.15];
const HAIR: readonly Rgb[] = [
  [0.08, 0.06, 0.05],
  [0.3, 0.18, 0.09],
  [0.55, 0.36, 0.18],
  [0.85, 0.7, 0.42],
  [0.6, 0.25, 0.1],
  [0.7, 0.7, 0.7],
];
const IRIS: readonly Rgb[] = [
  [0.3, 0.18, 0.08],
  [0.2, 0.35, 0.6],
  [0.3, 0.45, 0.25],
  [0.1, 0.08, 0.06],
];
const HAIR_STYLES: readonly HairStyle[] = ['short', 'long', 'bald', 'bun', 'curly'];

export const drawAppearance = (rng: Rng): Appearance => {
  const skin = jitter(rng, mix(SKIN_LIGHT, SKIN_DARK, rng.uniform()), 0.02);
  const faceW = uni(rng, 0.2, 0.27);
  const faceH = uni(rng, 0.27, 0.34);
  return {
    skin,
    faceW,
    faceH,
    eyeSep: faceW * uni(rng, 0.36, 0.5),
    eyeSize: faceW * uni(rng, 0.16, 0.24),
    eyeY: -faceH * uni(rng, 0.05, 0.18),
    iris: pick(rng, IRIS),
    noseLen: faceH * uni(rng, 0.2, 0.34),
    noseW: faceW * uni(rng, 0.1, 0.18),
    mouthW: faceW * uni(rng, 0.3, 0.45),
    lips: mix(skin, [0.65, 0.2, 0.25], uni(rng, 0.35, 0.7)),
    browWidth: uni(rng, 0.014, 0.03),
    hair: jitter(rng, pick(rng, HAIR), 0.03),
    hairStyle: pick(rng, HAIR_STYLES),
    backgroundTop: hueColour(rng, uni(rng, 0.2, 0.6), uni(rng, 0.5, 0.95)),
    backgroundBottom: hueColour(rng, uni(rng, 0.2, 0.6), uni(rng, 0.4, 0.9)),
    shirt: hueColour(rng, uni(rng, 0.3, 0.9), uni(rng, 0.3, 0.9)),
    glasses:
      rng.uniform() < 0.3
        ? pick(rng, [
            [0.05, 0.05, 0.05],
            [0.45, 0.3, 0.15],
            [0.7, 0.7, 0.75],
          ] as const)
        : null,
  };
};

/**
 * Benchmark regimes (issue #15). The two identity effects the benchmark mixes are set apart:
 * - the personal emotion **band** (label shift by identity): how far apart identities' emotion
 *   centres lie and how wide each one's walk is. `narrow` (the default: centres anywhere in the
 *   disc of radius 0.8, spread 0.08-0.18) lets identity predict the label; `disc` (every centre
 *   at the origin, spread 0.45, faster mixing) gives every identity the same label law: no label
 *   shift at all; `wide` lies between (weak label shift).
 * - the expressive **style** (expressive shift by identity): how the same felt emotion shows on
 *   different faces, shown = gain * felt + resting offset. `none`: every face shows exactly what
 *   is felt; `mild` (the default): gain 0.6-1.4, offset sd 0.12 / 0.08; `strong`: gain 0.4-1.6,
 *   offset sd 0.36 / 0.24 (p(face | emotion) shifted by identity: the paper's premise).
 * Every preset makes the same random draws in the same order, so the default regime is the
 * previous benchmark bit for bit and regimes differ only in these two effects.
 */
export interface BandSpec {
  /** Emotion centres are uniform in the disc of this radius. */
  readonly centreRadius: number;
  /** Stationary spread of the walk, uniform in [lo, hi]. */
  readonly spread: readonly [number, number];
  /** Mean reversion per frame (higher: each clip covers its band faster). */
  readonly reversion: number;
}

export interface StyleSpec {
  /** Gain uniform in [lo, hi]. */
  readonly gain: readonly [number, number];
  /** Resting offset sd per axis, and the clip of each. */
  readonly offsetSd: readonly [number, number];
  readonly offsetClip: readonly [number, number];
}

export const BAND_PRESETS = {
  narrow: { centreRadius: 0.8, spread: [0.08, 0.18], reversion: 0.15 },
  wide: { centreRadius: 0.35, spread: [0.25, 0.35], reversion: 0.3 },
  disc: { centreRadius: 0, spread: [0.45, 0.45], reversion: 0.5 },
} as const satisfies Record<string, BandSpec>;

export const STYLE_PRESETS = {
  none: { gain: [1, 1], offsetSd: [0, 0], offsetClip: [0, 0] },
  mild: { gain: [0.6, 1.4], offsetSd: [0.12, 0.08], offsetClip: [0.25, 0.2] },
  strong: { gain: [0.4, 1.6], offsetSd: [0.36, 0.24], offsetClip: [0.75, 0.6] },
} as const satisfies Record<string, StyleSpec>;

export type BandName = keyof typeof BAND_PRESETS;
export type StyleName = keyof typeof STYLE_PRESETS;
export const BAND_NAMES = Object.keys(BAND_PRESETS) as BandName[];
export const STYLE_NAMES = Object.keys(STYLE_PRESETS) as StyleName[];

export interface Regime {
  readonly band: BandSpec;
  readonly style: StyleSpec;
}

/** The benchmark as it was before regimes: narrow personal bands, mild style. */
export const DEFAULT_REGIME: Regime = { band: BAND_PRESETS.narrow, style: STYLE_PRESETS.mild };

export const regimeOf = (band: BandName = 'narrow', style: StyleName = 'mild'): Regime => ({ band: BAND_PRESETS[band], style: STYLE_PRESETS[style] });

/** Centres uniform in the disc of the band's radius (default 0.8: the VA circumplex without its extreme rim). */
export const drawProfile = (rng: Rng, band: BandSpec = BAND_PRESETS.narrow): EmotionProfile => {
  const r = band.centreRadius * Math.sqrt(rng.uniform()),
    t = 2 * Math.PI * rng.uniform();
  return { centre: [r * Math.cos(t), r * Math.sin(t)], spread: uni(rng, band.spread[0], band.spread[1]), reversion: band.reversion };
};

// c = 0 (no style) gives +0, not -0
const clip = (x: number, c: number) => (c === 0 ? 0 : Math.max(-c, Math.min(c, x)));

export const drawStyle = (rng: Rng, style: StyleSpec = STYLE_PRESETS.mild): ExpressiveStyle => ({
  gain: uni(rng, style.gain[0], style.gain[1]),
  offset: [clip(style.offsetSd[0] * rng.normal(), style.offsetClip[0]), clip(style.offsetSd[1] * rng.normal(), style.offsetClip[1])],
});

export const drawIdentity = (name: string, rng: Rng, regime: Regime = DEFAULT_REGIME): Identity => {
  // One child stream per aspect: changing how one is drawn does not reshuffle the others.
  const a = rng.fork(),
    p = rng.fork(),
    s = rng.fork();
  return { name, appearance: drawAppearance(a), profile: drawProfile(p, regime.band), style: drawStyle(s, regime.style) };
};

const clampVa = (x: number) => Math.max(-1, Math.min(1, x));

/**
 * `n` frames of felt VA: an Ornstein-Uhlenbeck walk around the centre, started from its
 * stationary law, so frames drift smoothly like a video clip and stay within ~2 spreads.
 */
export const walkVa = (p: EmotionProfile, n: number, rng: Rng): [number, number][] => {
  const sigma = p.spread * Math.sqrt(1 - (1 - p.reversion) ** 2);
  let v = p.centre[0] + p.spread * rng.normal(),
    a = p.centre[1] + p.spread * rng.normal();
  const out: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    out.push([clampVa(v), clampVa(a)]);
    v += p.reversion * (p.centre[0] - v) + sigma * rng.normal();
    a += p.reversion * (p.centre[1] - a) + sigma * rng.normal();
  }
  return out;
};

/** What the face shows for felt VA: the identity's gain and resting offset, clamped. */
export const shownVa = (style: ExpressiveStyle, va: readonly [number, number]): [number, number] => [
  clampVa(style.gain * va[0] + style.offset[0]),
  clampVa(style.gain * va[1] + style.offset[1]),
];

export interface NuisanceConfig {
  /** Head roll sd in degrees. Default 5. */
  readonly rollDeg?: number;
  /** Translation sd, fraction of the image. Default 0.025. */
  readonly shift?: number;
  /** Scale sd. Default 0.04. */
  readonly scale?: number;
  /** Sensor noise sd in [0, 1] units. Default 0.02. */
  readonly noise?: number;
}

export const drawNuisance = (rng: Rng, c: NuisanceConfig = {}): Nuisance => ({
  angle: (((c.rollDeg ?? 5) * Math.PI) / 180) * rng.normal(),
  dx: (c.shift ?? 0.025) * rng.normal(),
  dy: (c.shift ?? 0.025) * rng.normal(),
  scale: 1 + (c.scale ?? 0.04) * rng.normal(),
  light: uni(rng, 0.8, 1.15),
  lightX: 0.3 * rng.normal(),
  lightY: 0.15 * rng.normal(),
  noise: c.noise ?? 0.02,
});
