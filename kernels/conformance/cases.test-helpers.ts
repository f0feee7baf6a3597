/**
 * Conformance cases for the dense primitives (transfers, elementwise, reductions, matmul, layout,
 * gather/scatter): each feeds a backend float32 inputs and returns its output with the reference
 * kernels' float64 answer on the same values. The spatial ones are in spatial-cases.test-helpers.ts.
 */
import type { Backend, BinaryOp, DataHandle, ReduceOp, UnaryOp } from '../../lib/backend/backend.js';
import type { Rng } from '../../lib/rng/rng.js';
import type { TypedArray } from '../../lib/tensor/dtype.js';
import { broadcastShapes, sizeOf, type Shape } from '../../lib/tensor/shape.js';
import * as ref from '../cpu/reference/index.js';

export type Case = (b: Backend, rng: Rng) => { got: DataHandle; want: TypedArray };

export const rand = (rng: Rng, n: number, lo = -2, hi = 2) => {
  const a = new Float32Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
};
export const f64 = (a: Float32Array) => Float64Array.from(a);

/** float32 input `data` on the backend and as float64 for the reference. */
export const input = (b: Backend, data: Float32Array) => ({ h: b.upload(data), r: f64(data) });

const UNARY_DOMAIN: Partial<Record<UnaryOp, [number, number]>> = { log: [0.1, 3], sqrt: [0, 3], reciprocal: [0.5, 3] };
const UNARY_OPS: UnaryOp[] = ['neg', 'exp', 'log', 'sqrt', 'abs', 'relu', 'gelu', 'tanh', 'sigmoid', 'square', 'reciprocal', 'sign', 'step', 'geluGrad'];
const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'max', 'min', 'eq', 'gt', 'ge', 'lt', 'reluGrad'];
const BROADCAST_PAIRS: Array<[Shape, Shape]> = [
  [
    [3, 5],
    [3, 5],
  ],
  [
    [4, 1, 3],
    [5, 1],
  ],
  [[], [2, 3]],
  [[1, 7], [1]],
];

export const denseCases: Record<string, Case[]> = {
  upload_download: [
    (b, rng) => {
      const d = rand(rng, 17);
      return { got: b.upload(d), want: f64(d) };
    },
  ],
  fill: [(b) => ({ got: b.fill(11, 2.5, 'float32'), want: new Float64Array(11).fill(2.5) })],
  cast: [
    (b, rng) => {
      const x = input(b, rand(rng, 9));
      return { got: b.cast(x.h, 'float32'), want: x.r };
    },
  ],
  ...Object.fromEntries(
    UNARY_OPS.map((op): [string, Case[]] => [
      `unary_${op}`,
      [
        (b, rng) => {
          const [lo, hi] = UNARY_DOMAIN[op] ?? [-4, 4];
          const x = input(b, rand(rng, 2 * 3 * 5, lo, hi));
          return { got: b.unary(op, x.h), want: ref.refUnary(op, x.r) };
        },
      ],
    ]),
  ),
  ...Object.fromEntries(
    BINARY_OPS.map((op): [string, Case[]] => [
      `binary_${op}`,
      BROADCAST_PAIRS.map(([as, bs]): Case => (b, rng) => {
        const out = broadcastShapes(op, as, bs);
        // pow: a positive base; comparisons: operands drawn from a small grid so ties occur
        const da = op === 'pow' ? rand(rng, sizeOf(as), 0.2, 2) : rand(rng, sizeOf(as));
        const db = rand(rng, sizeOf(bs));
        if (['eq', 'gt', 'ge', 'lt'].includes(op)) {
          da.forEach((v, i) => (da[i] = Math.round(v)));
          db.forEach((v, i) => (db[i] = Math.round(v)));
        }
        const x = input(b, da),
          y = input(b, db);
        return { got: b.binary(op, x.h, as, y.h, bs, out), want: ref.refBinary(op, x.r, as, y.r, bs, out) };
      }),
    ]),
  ),
  clamp: [
    (b, rng) => {
      const x = input(b, rand(rng, 23));
      return { got: b.clamp(x.h, -0.5, 1), want: ref.refClamp(x.r, -0.5, 1) };
    },
  ],
  where: [[3, 1], [1], []].map((cs): Case => (b, rng) => {
    const c = input(
      b,
      rand(rng, sizeOf(cs)).map((v) => (v > 0 ? 1 : 0)),
    );
    const x = input(b, rand(rng, 4)),
      y = input(b, rand(rng, 3 * 4));
    const out = broadcastShapes('where', broadcastShapes('where', cs, [4]), [3, 4]);
    return { got: b.where(c.h, cs, x.h, [4], y.h, [3, 4], out), want: ref.refWhere(c.r, cs, x.r, [4], y.r, [3, 4], out) };
  }),
  ...Object.fromEntries(
    (['sum', 'max', 'min'] as ReduceOp[]).map((op): [string, Case[]] => [
      `reduce_${op}`,
      (
        [
          [[3, 4, 5], [1]],
          [
            [3, 4, 5],
            [0, 2],
          ],
          [
            [3, 4, 5],
            [0, 1, 2],
          ],
          [[1, 7, 1], [1]],
          [[6], [0]],
        ] as Array<[Shape, number[]]>
      ).map(([s, ax]): Case => (b, rng) => {
        const x = input(b, rand(rng, sizeOf(s)));
        return { got: b.reduce(op, x.h, s, ax), want: ref.refReduce(op, x.r, s, ax) };
      }),
    ]),
  ),
  matmul: (
    [
      [[1, 3, 5], [1, 5, 2], false, false],
      [[2, 5, 3], [2, 5, 4], true, false],
      [[1, 3, 5], [4, 2, 5], false, true],
      [[3, 6, 1], [1, 7, 6], true, true],
      [[1, 1, 1], [1, 1, 9], false, false],
      [[4, 9, 8], [4, 8, 7], false, false],
      [[2, 4, 4], [2, 4, 4], false, false],
      [[2, 4, 4], [1, 4, 4], true, false],
    ] as Array<[ref.Shape3, ref.Shape3, boolean, boolean]>
  ).map(([as, bs, ta, tb]): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(as))),
      y = input(b, rand(rng, sizeOf(bs)));
    return { got: b.matmul(x.h, as, y.h, bs, ta, tb), want: ref.refMatmul(x.r, as, y.r, bs, ta, tb) };
  }),
  permute: (
    [
      [
        [2, 3, 4],
        [2, 0, 1],
      ],
      [
        [1, 5, 1, 3],
        [3, 1, 0, 2],
      ],
      [[7], [0]],
      [
        [3, 2],
        [1, 0],
      ],
    ] as Array<[Shape, number[]]>
  ).map(([s, p]): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(s)));
    return { got: b.permute(x.h, s, p), want: ref.refPermute(x.r, s, p) };
  }),
  slice: [
    (b, rng) => {
      const x = input(b, rand(rng, 60));
      return { got: b.slice(x.h, [3, 4, 5], [1, 0, 2], [2, 4, 1]), want: ref.refSlice(x.r, [3, 4, 5], [1, 0, 2], [2, 4, 1]) };
    },
  ],
  padInto: [
    (b, rng) => {
      const x = input(b, rand(rng, 8));
      return { got: b.padInto(x.h, [2, 4, 1], [1, 0, 2], [3, 4, 5]), want: ref.refPadInto(x.r, [2, 4, 1], [1, 0, 2], [3, 4, 5]) };
    },
  ],
  concat: [0, 1, 2].map((axis): Case => (b, rng) => {
    const shapes: Shape[] = [
      [2, 3, 4],
      [2, 3, 4],
      [2, 3, 4],
    ].map((s) => s.map((d, i) => (i === axis ? d - 1 + axis : d)));
    shapes[1] = shapes[1].map((d, i) => (i === axis ? 1 : d));
    const xs = shapes.map((s) => input(b, rand(rng, sizeOf(s))));
    return {
      got: b.concat(
        xs.map((x) => x.h),
        shapes,
        axis,
      ),
      want: ref.refConcat(
        xs.map((x) => x.r),
        shapes,
        axis,
      ),
    };
  }),
  gather: [
    (b, rng) => {
      const x = input(b, rand(rng, 5 * 3)),
        idx = Int32Array.from([4, 0, 0, 2]);
      return { got: b.gather(x.h, [5, 3], idx), want: ref.refGather(x.r, [5, 3], idx) };
    },
  ],
  scatterAdd: [
    (b, rng) => {
      const g = input(b, rand(rng, 4 * 3)),
        idx = Int32Array.from([4, 0, 0, 2]);
      return { got: b.scatterAdd(g.h, [4, 3], idx, 6), want: ref.refScatterAdd(g.r, [4, 3], idx, 6) };
    },
  ],
};
