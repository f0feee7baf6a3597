/**
 * Collapses a broadcast iteration to as few axes as possible: adjacent output axes merge when
 * every operand walks them as one (each operand's stride on the outer axis equals its stride
 * times extent on the inner one, which covers "both contiguous" and "both broadcast").
 * Size-1 axes are dropped. The innermost remaining axis becomes a tight loop.
 */
import { broadcastStrides, type Shape } from '../../../lib/tensor/shape.js';

export interface Coalesced {
  readonly shape: number[];
  /** One stride list per operand, aligned with `shape`. */
  readonly strides: number[][];
}

export const coalesce = (outShape: Shape, operandShapes: readonly Shape[]): Coalesced => {
  const all = operandShapes.map((s) => broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = operandShapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d];
    if (n === 1) continue;
    const last = shape.length - 1;
    if (last >= 0 && all.every((st, k) => strides[k][last] === st[d] * n)) {
      shape[last] *= n;
      all.forEach((st, k) => (strides[k][last] = st[d]));
    } else {
      shape.push(n);
      all.forEach((st, k) => strides[k].push(st[d]));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((s) => s.push(0));
  }
  return { shape, strides };
};
