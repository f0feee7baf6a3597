/** Shape arithmetic shared by every backend: sizes, strides, broadcasting, axis normalisation. */
import { EngineError, shapeError } from '../errors.js';

export type Shape = readonly number[];

export const sizeOf = (shape: Shape): number => shape.reduce((a, b) => a * b, 1);

/** Row-major (C-order) strides. */
export const stridesOf = (shape: Shape): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
};

export const sameShape = (a: Shape, b: Shape) => a.length === b.length && a.every((d, i) => d === b[i]);

/** NumPy broadcasting: align right, dims equal or one of them 1. */
export const broadcastShapes = (op: string, a: Shape, b: Shape): number[] => {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw shapeError(op, 'cannot broadcast', a, b);
    out[i] = da === 1 ? db : da;
  }
  return out;
};

/** Strides of `shape` read as if broadcast to `outShape` (0 along broadcast axes). */
export const broadcastStrides = (shape: Shape, outShape: Shape): number[] => {
  const st = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : st[i - off]));
};

/** Normalises possibly-negative axes and checks range; returns sorted unique axes. */
export const normAxes = (op: string, rank: number, axes?: number | readonly number[]): number[] => {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => {
    const r = a < 0 ? a + rank : a;
    if (!Number.isInteger(r) || r < 0 || r >= rank) throw new EngineError('ArgumentError', op, `axis ${a} out of range for rank ${rank}`);
    return r;
  });
  return [...new Set(out)].sort((x, y) => x - y);
};

export const checkShape = (op: string, shape: Shape): void => {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new EngineError('ShapeError', op, `invalid dimension ${d} in shape [${shape.join(', ')}]`);
  }
};

/** Output length of a sliding window (convolution, pooling): floor((n + 2 pad - k) / stride) + 1. */
export const windowOutSize = (n: number, k: number, stride: number, pad: number): number => Math.floor((n + 2 * pad - k) / stride) + 1;
