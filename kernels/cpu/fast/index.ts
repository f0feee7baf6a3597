/**
 * Fast float32 CPU kernels (first, simple version: correct, not yet fast).
 * Outputs are preallocated by the caller and fully overwritten.
 */
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';

export type Shape3 = readonly [number, number, number];
export type Shape4 = readonly number[];

export function fastMatmul(a: Float32Array, aShape: Shape3, b: Float32Array, bShape: Shape3, transA: boolean, transB: boolean, out: Float32Array): void {
  const [ba, ar, ac] = aShape;
  const [bb, br, bc] = bShape;
  const M = transA ? ac : ar;
  const K = transA ? ar : ac;
  const N = transB ? br : bc;
  const batch = Math.max(ba, bb);
  for (let t = 0; t < batch; t++) {
    const ao = (ba === 1 ? 0 : t) * ar * ac;
    const bo = (bb === 1 ? 0 : t) * br * bc;
    const co = t * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          s += a[ao + (transA ? k * ac + i : i * ac + k)] * b[bo + (transB ? j * bc + k : k * bc + j)];
        }
        out[co + i * N + j] = s;
      }
    }
  }
}

export function fastConv2d(x: Float32Array, xShape: Shape4, w: Float32Array, wShape: Shape4, attrs: Conv2dAttrs, out: Float32Array): void {
  const [N, C, H, W] = xShape;
  const [O, , KH, KW] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const OH = Math.floor((H + 2 * ph - KH) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - KW) / sw) + 1;
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          let s = 0;
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                s += x[((n * C + c) * H + iy) * W + ix] * w[((o * C + c) * KH + ky) * KW + kx];
              }
            }
          out[((n * O + o) * OH + oy) * OW + ox] = s;
        }
}

export function fastConv2dBackwardInput(dy: Float32Array, dyShape: Shape4, w: Float32Array, wShape: Shape4, xShape: Shape4, attrs: Conv2dAttrs, out: Float32Array): void {
  const [N, C, H, W] = xShape;
  const [, O, OH, OW] = dyShape;
  const [, , KH, KW] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  out.fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const g = dy[((n * O + o) * OH + oy) * OW + ox];
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                out[((n * C + c) * H + iy) * W + ix] += g * w[((o * C + c) * KH + ky) * KW + kx];
              }
            }
        }
}

export function fastConv2dBackwardFilter(x: Float32Array, xShape: Shape4, dy: Float32Array, dyShape: Shape4, wShape: Shape4, attrs: Conv2dAttrs, out: Float32Array): void {
  const [N, C, H, W] = xShape;
  const [, O, OH, OW] = dyShape;
  const [, , KH, KW] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  out.fill(0);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++)
      for (let oy = 0; oy < OH; oy++)
        for (let ox = 0; ox < OW; ox++) {
          const g = dy[((n * O + o) * OH + oy) * OW + ox];
          for (let c = 0; c < C; c++)
            for (let ky = 0; ky < KH; ky++) {
              const iy = oy * sh - ph + ky;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < KW; kx++) {
                const ix = ox * sw - pw + kx;
                if (ix < 0 || ix >= W) continue;
                out[((o * C + c) * KH + ky) * KW + kx] += g * x[((n * C + c) * H + iy) * W + ix];
              }
            }
        }
}

/** Threads used by the fast kernels (1 in this first version). */
export function setFastThreads(_n: number): void {}
export function fastThreads(): number {
  return 1;
}
