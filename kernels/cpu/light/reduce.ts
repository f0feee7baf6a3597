/**
 * Reductions in one sequential pass over x: the coalesced input is walked in memory order and
 * each element folded into its output cell (output strides are 0 along reduced axes). Sums
 * accumulate in float64 scratch, as the reference does per cell, so float32 results differ from
 * the reference only by summation order.
 */
import type { ReduceOp } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { stridesOf, type Shape } from '../../../lib/tensor/shape.js';

let scratch = new Float64Array(0);

export const lightReduce = (op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out: TypedArray): void => {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  // input strides and the output's strides read on the input's grid (0 on reduced axes)
  const outStrides = stridesOf(outShape).map((s, i) => (axes.includes(i) ? 0 : s));
  const { shape: cs, strides } = coalesceWith(shape, outStrides);
  const so = strides;
  const r = cs.length - 1;
  const n = cs[r];
  const acc = scratch.length >= out.length ? scratch : (scratch = new Float64Array(out.length));
  const init = op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity;
  acc.fill(init, 0, out.length);
  const idx = new Array<number>(Math.max(r, 0)).fill(0);
  let oi = 0;
  const rows = x.length / n;
  const inner = so[r];
  for (let row = 0, xi = 0; row < rows; row++) {
    if (op === 'sum') {
      if (inner === 0) {
        let s = 0;
        for (let k = 0; k < n; k++) s += x[xi + k];
        acc[oi] += s;
      } else for (let k = 0, o = oi; k < n; k++, o += inner) acc[o] += x[xi + k];
    } else {
      const isMax = op === 'max';
      for (let k = 0, o = oi; k < n; k++, o += inner) {
        const v = x[xi + k];
        const cur = acc[o];
        // NaN wins, as in the reference
        if (cur !== cur) continue;
        if (v !== v || (isMax ? v > cur : v < cur)) acc[o] = v;
      }
    }
    xi += n;
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      oi += so[d];
      if (idx[d] < cs[d]) break;
      oi -= so[d] * cs[d];
      idx[d] = 0;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
};

/** Coalesces x's own (contiguous) layout together with the output strides. */
const coalesceWith = (shape: Shape, outStrides: readonly number[]): { shape: number[]; strides: number[] } => {
  const xs = stridesOf(shape);
  const cs: number[] = [];
  const so: number[] = [];
  const sx: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = cs.length - 1;
    if (last >= 0 && so[last] === outStrides[d] * n && sx[last] === xs[d] * n) {
      cs[last] *= n;
      so[last] = outStrides[d];
      sx[last] = xs[d];
    } else {
      cs.push(n);
      so.push(outStrides[d]);
      sx.push(xs[d]);
    }
  }
  if (cs.length === 0) return { shape: [1], strides: [0] };
  return { shape: cs, strides: so };
};

