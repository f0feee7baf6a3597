/**
 * im2col / col2im for NCHW float32 convolutions. The column matrix of one image has a row per
 * (c, ky, kx) and a column per output pixel (oy, ox): col[((c*KH + ky)*KW + kx)*P + oy*OW + ox]
 * = x[c, oy*sh - ph + ky, ox*sw - pw + kx] (0 in the padding), P = OH*OW.
 *
 * Self-contained `function` declarations only (the worker pool rebuilds them from source).
 */

/** First ox whose input column ix = ox*sw - pw + kx is >= 0, and one past the last with ix < W. */
export function validRange(pw: number, kx: number, sw: number, W: number, OW: number): [number, number] {
  let lo = 0;
  while (lo < OW && lo * sw - pw + kx < 0) lo++;
  let hi = OW;
  while (hi > lo && (hi - 1) * sw - pw + kx >= W) hi--;
  return [lo, hi];
}

/** Writes the rows of channels [c0, c1) of image x[xOff ..] into col (row 0 = channel c0). */
export function im2col(
  x: Float32Array,
  xOff: number,
  H: number,
  W: number,
  KH: number,
  KW: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  OH: number,
  OW: number,
  c0: number,
  c1: number,
  col: Float32Array,
): void {
  let r = 0;
  const P = OH * OW;
  for (let c = c0; c < c1; c++) {
    const xc = xOff + c * H * W;
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        const range = validRange(pw, kx, sw, W, OW);
        const lo = range[0];
        const hi = range[1];
        const rowBase = r * P;
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * sh - ph + ky;
          const o = rowBase + oy * OW;
          if (iy < 0 || iy >= H) {
            col.fill(0, o, o + OW);
            continue;
          }
          for (let ox = 0; ox < lo; ox++) col[o + ox] = 0;
          let xi = xc + iy * W + lo * sw - pw + kx;
          if (sw === 1) {
            for (let ox = lo; ox < hi; ox++) col[o + ox] = x[xi++];
          } else {
            for (let ox = lo; ox < hi; ox++) {
              col[o + ox] = x[xi];
              xi += sw;
            }
          }
          for (let ox = hi; ox < OW; ox++) col[o + ox] = 0;
        }
        r++;
      }
    }
  }
}

/** Adds the column-gradient rows of channels [c0, c1) into image dx[dxOff ..] (the adjoint of im2col). */
export function col2imAdd(
  col: Float32Array,
  dx: Float32Array,
  dxOff: number,
  H: number,
  W: number,
  KH: number,
  KW: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  OH: number,
  OW: number,
  c0: number,
  c1: number,
): void {
  let r = 0;
  const P = OH * OW;
  for (let c = c0; c < c1; c++) {
    const xc = dxOff + c * H * W;
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++) {
        const range = validRange(pw, kx, sw, W, OW);
        const lo = range[0];
        const hi = range[1];
        const rowBase = r * P;
        for (let oy = 0; oy < OH; oy++) {
          const iy = oy * sh - ph + ky;
          if (iy < 0 || iy >= H) continue;
          const o = rowBase + oy * OW;
          let xi = xc + iy * W + lo * sw - pw + kx;
          for (let ox = lo; ox < hi; ox++) {
            dx[xi] += col[o + ox];
            xi += sw;
          }
        }
        r++;
      }
    }
  }
}
