/**
 * Broadcasting binary maps without per-element closures or index arithmetic: the iteration is
 * coalesced (coalesce.ts), the outer axes walked by an odometer, and the innermost axis run as
 * a tight loop specialised per op (V8 compiles each loop monomorphically). Same results as the
 * reference kernels bit for bit: the arithmetic per element is identical.
 */
import type { BinaryOp } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import type { Shape } from '../../../lib/tensor/shape.js';
import { BINARY } from '../reference/elementwise.js';
import { coalesce } from './coalesce.js';

type Inner = (o: TypedArray, oi: number, a: TypedArray, ai: number, sa: number, b: TypedArray, bi: number, sb: number, n: number) => void;

const inner = (f: (x: number, y: number) => number): Inner => (o, oi, a, ai, sa, b, bi, sb, n) => {
  for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = f(a[ai], b[bi]);
};

// Written out for the hot ops so that no function call sits in the loop.
const INNER: Partial<Record<BinaryOp, Inner>> = {
  add: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] + b[bi];
  },
  sub: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] - b[bi];
  },
  mul: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] * b[bi];
  },
  div: (o, oi, a, ai, sa, b, bi, sb, n) => {
    for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] / b[bi];
  },
};

const innerFor = (op: BinaryOp): Inner => INNER[op] ?? (INNER[op] = inner(BINARY[op]));

export const lightBinary = (op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out: TypedArray): void => {
  const { shape, strides } = coalesce(outShape, [aShape, bShape]);
  const [sa, sb] = strides;
  const r = shape.length - 1;
  const n = shape[r];
  const run = innerFor(op);
  const outer = out.length / n;
  if (r === 0) {
    run(out, 0, a, 0, sa[0], b, 0, sb[0], n);
    return;
  }
  const idx = new Array<number>(r).fill(0);
  let ai = 0;
  let bi = 0;
  for (let row = 0; row < outer; row++) {
    run(out, row * n, a, ai, sa[r], b, bi, sb[r], n);
    for (let d = r - 1; d >= 0; d--) {
      idx[d]++;
      ai += sa[d];
      bi += sb[d];
      if (idx[d] < shape[d]) break;
      ai -= sa[d] * shape[d];
      bi -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
};
