/**
 * The synthetic benchmark in memory: identities (appearance, emotion profile, style) and their
 * clips of frames, rendered into one shared RGBA buffer. Records point at their pixels
 * (`InMemoryImage` views), so the same decode workers and batch loader serve them without disk;
 * the buffer is a SharedArrayBuffer, so sending a record to a worker copies no pixels.
 *
 * Held-out identities are the last `heldOut` of the `identities` drawn: every identity is drawn
 * from the same distributions, so which ones are held out carries no information.
 */
import { Rng } from '../../../lib/rng/rng.js';
import type { FaceRecord } from '../face-record.js';
import { toRgba } from './raster.js';
import {
  BAND_PRESETS,
  drawIdentity,
  drawNuisance,
  regimeOf,
  shownVa,
  STYLE_PRESETS,
  walkVa,
  type BandName,
  type Identity,
  type NuisanceConfig,
  type StyleName,
} from './face-model.js';
import { renderFace } from './render-face.js';

export interface SynthOptions {
  readonly seed: number;
  /** Total identities, held-out ones included. Default 48. */
  readonly identities?: number;
  /** How many of them are held out (never in training). Default 12. */
  readonly heldOut?: number;
  /** Frames per identity (one clip each). Default 40. */
  readonly frames?: number;
  /** Image side in pixels. Default 64. */
  readonly size?: number;
  readonly nuisance?: NuisanceConfig;
  /** Personal emotion band (label shift by identity). Default 'narrow'. */
  readonly band?: BandName;
  /** Expressive style strength (expressive shift by identity). Default 'mild'. */
  readonly style?: StyleName;
}

export interface SyntheticFrame {
  readonly identity: string;
  readonly frame: number;
  /** Felt VA (the label). */
  readonly va: readonly [number, number];
  /** VA as the face shows it (gain and resting offset applied): diagnostics only. */
  readonly shown: readonly [number, number];
}

export interface InMemoryDataset {
  readonly options: Required<Omit<SynthOptions, 'nuisance'>> & { nuisance: NuisanceConfig };
  readonly size: number;
  /** All frames' RGBA, frame after frame (size * size * 4 bytes each), on a SharedArrayBuffer. */
  readonly rgba: Uint8Array;
  readonly records: readonly FaceRecord[];
  readonly frames: readonly SyntheticFrame[];
  /** 68 landmarks per frame in pixels, [frame][68][2]. */
  readonly landmarks: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  readonly identities: readonly Identity[];
  readonly trainIdentities: readonly string[];
  readonly heldOutIdentities: readonly string[];
}

export const identityName = (k: number) => `id${String(k).padStart(3, '0')}`;

export const resolveSynthOptions = (o: SynthOptions): InMemoryDataset['options'] => ({
  seed: o.seed,
  identities: o.identities ?? 48,
  heldOut: o.heldOut ?? 12,
  frames: o.frames ?? 40,
  size: o.size ?? 64,
  nuisance: o.nuisance ?? {},
  band: o.band ?? 'narrow',
  style: o.style ?? 'mild',
});

export const synthesizeInMemory = (opts: SynthOptions): InMemoryDataset => {
  const o = resolveSynthOptions(opts);
  if (!(o.identities >= 1 && o.frames >= 1 && o.size >= 8 && o.heldOut >= 0 && o.heldOut < o.identities))
    throw new RangeError(`synthesizeInMemory: need identities >= 1, 0 <= heldOut < identities, frames >= 1, size >= 8; got ${JSON.stringify(o)}`);
  if (!(o.band in BAND_PRESETS) || !(o.style in STYLE_PRESETS))
    throw new RangeError(
      `synthesizeInMemory: band must be one of ${Object.keys(BAND_PRESETS).join(', ')} and style one of ${Object.keys(STYLE_PRESETS).join(', ')}; got ${o.band}, ${o.style}`,
    );
  const regime = regimeOf(o.band, o.style);
  const root = Rng.fromSeed(o.seed);
  const perImage = o.size * o.size * 4;
  // a plain ArrayBuffer where SharedArrayBuffer is missing (a page that is not cross-origin isolated)
  const bytes = o.identities * o.frames * perImage;
  const rgba = new Uint8Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const records: FaceRecord[] = [];
  const frames: SyntheticFrame[] = [];
  const landmarks: [number, number][][] = [];
  const identities: Identity[] = [];
  for (let k = 0; k < o.identities; k++) {
    const rng = root.fork(); // one stream per identity: identity k is the same whatever the total
    const id = drawIdentity(identityName(k), rng.fork(), regime);
    identities.push(id);
    const walk = walkVa(id.profile, o.frames, rng.fork());
    const camera = rng.fork();
    walk.forEach((va, f) => {
      const shown = shownVa(id.style, va);
      const face = renderFace(id.appearance, shown, drawNuisance(camera, o.nuisance), o.size, camera);
      const index = records.length;
      toRgba(face.canvas, rgba, index * perImage);
      records.push({
        source: { kind: 'rgba', width: o.size, height: o.size, data: rgba.subarray(index * perImage, (index + 1) * perImage) },
        valence: va[0],
        arousal: va[1],
        identity: id.name,
        clip: id.name,
        frame: f,
      });
      frames.push({ identity: id.name, frame: f, va, shown });
      landmarks.push(face.landmarks);
    });
  }
  const names = identities.map((i) => i.name);
  return {
    options: o,
    size: o.size,
    rgba,
    records,
    frames,
    landmarks,
    identities,
    trainIdentities: names.slice(0, o.identities - o.heldOut),
    heldOutIdentities: names.slice(o.identities - o.heldOut),
  };
};

/** Images as NCHW float32 in [0, 1] (no normalisation), for `indices` (default all): quick models and tests. */
export const inMemoryNCHW = (ds: InMemoryDataset, indices?: readonly number[]): Float32Array => {
  const idx = indices ?? ds.records.map((_, i) => i);
  const S = ds.size,
    plane = S * S,
    per = plane * 4;
  const out = new Float32Array(idx.length * 3 * plane);
  idx.forEach((r, n) => {
    const base = r * per;
    for (let p = 0; p < plane; p++) for (let c = 0; c < 3; c++) out[(n * 3 + c) * plane + p] = ds.rgba[base + 4 * p + c] / 255;
  });
  return out;
};
