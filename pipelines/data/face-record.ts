/** The one record type every loader yields and the image pipeline consumes. */

/** A face box in source-image pixels (x, y = top-left corner). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Pixels already in memory (synthetic faces): RGBA bytes, row-major, `width * height * 4`. */
export interface InMemoryImage {
  readonly kind: 'rgba';
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export interface FaceRecord {
  /** An image path (absolute, or relative to the process) or pixels in memory. */
  readonly source: string | InMemoryImage;
  /** In [-1, 1] whatever the format's own scale. */
  readonly valence: number;
  readonly arousal: number;
  /** The domain key for ELIM: the person, or the best stand-in the format has (documented per loader). */
  readonly identity: string;
  /** The video/clip the frame comes from, where the format has one. */
  readonly clip?: string;
  /** Frame index inside the clip, where known. */
  readonly frame?: number;
  /** Age in years (AffectNet with a user-added column; ELIM-Age). */
  readonly age?: number;
  /** AffectNet expression code: 0-7 emotions, 8 none, 9 uncertain, 10 no-face. */
  readonly expression?: number;
  /** Where the face is in the source image; the image pipeline crops it (with the loader's margin applied). */
  readonly crop?: Box;
}

/** Box around points, grown by `margin` (a fraction of the larger side) on every side and made square. */
export const boxAround = (points: ReadonlyArray<readonly [number, number]>, margin: number): Box => {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  // Square boxes keep faces undistorted when resized to a square network input.
  const side = Math.max(x1 - x0, y1 - y0) * (1 + 2 * margin);
  const cx = (x0 + x1) / 2,
    cy = (y0 + y1) / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
};
