/**
 * Unary maps as one loop per op: the reference's shared loop calls a different function per op
 * through one call site, which V8 cannot inline once it has seen several; a loop per op can.
 */
import type { UnaryOp } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';
import { UNARY } from '../reference/elementwise.js';

type Loop = (x: TypedArray, o: TypedArray) => void;

const loopOf = (f: (v: number) => number): Loop => (x, o) => {
  for (let i = 0; i < x.length; i++) o[i] = f(x[i]);
};

const LOOPS: Partial<Record<UnaryOp, Loop>> = {
  relu: (x, o) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = v < 0 ? 0 : v;
    }
  },
  step: (x, o) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      o[i] = v > 0 ? 1 : v <= 0 ? 0 : v;
    }
  },
  neg: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = -x[i];
  },
  square: (x, o) => {
    for (let i = 0; i < x.length; i++) o[i] = x[i] * x[i];
  },
};

export const lightUnary = (op: UnaryOp, x: TypedArray, out: TypedArray): void => {
  (LOOPS[op] ?? (LOOPS[op] = loopOf(UNARY[op])))(x, out);
};
