/**
 * Reference pooling over NCHW: max (padding never wins; NaN wins, so it propagates), average over
 * the in-bounds cells of each window, and PyTorch's adaptive average windows. Backward passes
 * route each output's cotangent to the cells that produced it.
 */
import type { Pool2dAttrs } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { windowOutSize, type Shape } from '../../../lib/tensor/shape.js';
import { outLike } from './alloc.js';

export const pool2dOutShape = (xShape: Shape, a: Pool2dAttrs): [number, number, number, number] => [
  xShape[0],
  xShape[1],
  windowOutSize(xShape[2], a.kernel[0], a.stride[0], a.pad[0]),
  windowOutSize(xShape[3], a.kernel[1], a.stride[1], a.pad[1]),
];

/** Visits every window: (plane, outIndex, list of in-bounds flat input indices in row-major order). */
const forEachWindow = (xShape: Shape, a: Pool2dAttrs, visit: (outIndex: number, cells: number[]) => void): void => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = pool2dOutShape(xShape, a);
  const cells: number[] = [];
  for (let p = 0; p < n * c; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        cells.length = 0;
        for (let u = 0; u < a.kernel[0]; u++) {
          const r = i * a.stride[0] - a.pad[0] + u;
          if (r < 0 || r >= h) continue;
          for (let v = 0; v < a.kernel[1]; v++) {
            const q = j * a.stride[1] - a.pad[1] + v;
            if (q >= 0 && q < w) cells.push((p * h + r) * w + q);
          }
        }
        visit((p * oh + i) * ow + j, cells);
      }
};

/** The first arg-max of a window (a NaN counts as the max, so it propagates); -1 for an empty window. */
const argMax = (x: TypedArray, cells: readonly number[]): number => {
  let best = -1;
  for (const k of cells) {
    const v = x[k];
    if (best < 0 || v > x[best] || (v !== v && x[best] === x[best])) best = k;
  }
  return best;
};

export const refMaxPool2d = (x: TypedArray, xShape: Shape, a: Pool2dAttrs, out?: TypedArray): TypedArray => {
  const [n, c, oh, ow] = pool2dOutShape(xShape, a);
  const y = outLike(x, n * c * oh * ow, out);
  forEachWindow(xShape, a, (o, cells) => {
    const k = argMax(x, cells);
    y[o] = k < 0 ? -Infinity : x[k];
  });
  return y;
};

export const refMaxPool2dBackward = (x: TypedArray, xShape: Shape, dy: TypedArray, _dyShape: Shape, a: Pool2dAttrs, out?: TypedArray): TypedArray => {
  const dx = outLike(x, x.length, out);
  dx.fill(0);
  forEachWindow(xShape, a, (o, cells) => {
    const k = argMax(x, cells);
    if (k >= 0) dx[k] += dy[o];
  });
  return dx;
};

export const refAvgPool2d = (x: TypedArray, xShape: Shape, a: Pool2dAttrs, out?: TypedArray): TypedArray => {
  const [n, c, oh, ow] = pool2dOutShape(xShape, a);
  const y = outLike(x, n * c * oh * ow, out);
  forEachWindow(xShape, a, (o, cells) => {
    let acc = 0;
    for (const k of cells) acc += x[k];
    y[o] = acc / cells.length;
  });
  return y;
};

export const refAvgPool2dBackward = (dy: TypedArray, _dyShape: Shape, xShape: Shape, a: Pool2dAttrs, out?: TypedArray): TypedArray => {
  const dx = outLike(dy, xShape[0] * xShape[1] * xShape[2] * xShape[3], out);
  dx.fill(0);
  forEachWindow(xShape, a, (o, cells) => {
    for (const k of cells) dx[k] += dy[o] / cells.length;
  });
  return dx;
};

/** PyTorch's adaptive window along one axis: [floor(i n / m), ceil((i + 1) n / m)). */
export const adaptiveWindow = (i: number, n: number, m: number): [number, number] => [Math.floor((i * n) / m), Math.ceil(((i + 1) * n) / m)];

const forEachAdaptiveWindow = (xShape: Shape, outHW: readonly [number, number], visit: (o: number, cells: number[]) => void): void => {
  const [n, c, h, w] = xShape;
  const [oh, ow] = outHW;
  const cells: number[] = [];
  for (let p = 0; p < n * c; p++)
    for (let i = 0; i < oh; i++) {
      const [r0, r1] = adaptiveWindow(i, h, oh);
      for (let j = 0; j < ow; j++) {
        const [q0, q1] = adaptiveWindow(j, w, ow);
        cells.length = 0;
        for (let r = r0; r < r1; r++) for (let q = q0; q < q1; q++) cells.push((p * h + r) * w + q);
        visit((p * oh + i) * ow + j, cells);
      }
    }
};

export const refAdaptiveAvgPool2d = (x: TypedArray, xShape: Shape, outHW: readonly [number, number], out?: TypedArray): TypedArray => {
  const y = outLike(x, xShape[0] * xShape[1] * outHW[0] * outHW[1], out);
  forEachAdaptiveWindow(xShape, outHW, (o, cells) => {
    let acc = 0;
    for (const k of cells) acc += x[k];
    y[o] = acc / cells.length;
  });
  return y;
};

export const refAdaptiveAvgPool2dBackward = (dy: TypedArray, dyShape: Shape, xShape: Shape, out?: TypedArray): TypedArray => {
  const dx = outLike(dy, xShape[0] * xShape[1] * xShape[2] * xShape[3], out);
  dx.fill(0);
  forEachAdaptiveWindow(xShape, [dyShape[2], dyShape[3]], (o, cells) => {
    for (const k of cells) dx[k] += dy[o] / cells.length;
  });
  return dx;
};
