/**
 * One test body per Backend primitive, run against any backend: each case feeds the backend
 * float32 inputs and compares its output with the reference kernels (kernels/cpu/reference),
 * computed in float64 on the same float32 values. Tolerance: |got - want| <= tolerance * (1 + |want|)
 * elementwise (float32 kernels over these small shapes stay within 1e-5; 1e-4 leaves room for
 * GPU transcendental functions). NaN must match NaN.
 *
 * Usage (in a *.test.ts): describeBackendConformance(() => createGpujsBackend(), { tolerance: 1e-4 }).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BinaryOp, Conv2dAttrs, DataHandle, Pool2dAttrs, ReduceOp, UnaryOp } from '../lib/backend/backend.js';
import { Rng } from '../lib/rng/rng.js';
import type { TypedArray } from '../lib/tensor/dtype.js';
import { broadcastShapes, sizeOf, type Shape } from '../lib/tensor/shape.js';
import * as ref from './cpu/reference/index.js';
import { checkSinkhornConformance } from './sinkhorn-conformance.js';

export interface ConformanceOptions {
  /** Elementwise: |got - want| <= tolerance * (1 + |want|). */
  readonly tolerance: number;
  /** Label for the describe block (defaults to the backend's name). */
  readonly label?: string;
}

/** The largest scaled error between got and want, with the index where it occurs (NaN must meet NaN). */
export const worstError = (got: ArrayLike<number>, want: ArrayLike<number>): { err: number; at: number } => {
  if (got.length !== want.length) return { err: Infinity, at: -1 };
  let worst = { err: 0, at: -1 };
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return { err: Infinity, at: i };
      continue;
    }
    if (g === w) continue; // equal infinities
    const e = Math.abs(g - w) / (1 + Math.abs(w));
    if (!(e <= worst.err)) worst = { err: e, at: i };
  }
  return worst;
};

export const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label = ''): void => {
  const { err, at } = worstError(got, want);
  const detail = at < 0 ? `lengths ${got.length} vs ${want.length}` : `at ${at}: got ${got[at]}, want ${want[at]}`;
  expect(err, `${label} worst scaled error ${err} ${detail}`).toBeLessThanOrEqual(tol);
};

type Case = (b: Backend, rng: Rng) => { got: DataHandle; want: TypedArray };

const rand = (rng: Rng, n: number, lo = -2, hi = 2) => {
  const a = new Float32Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
};
const f64 = (a: Float32Array) => Float64Array.from(a);

/** float32 input `data` on the backend and as float64 for the reference. */
const input = (b: Backend, data: Float32Array) => ({ h: b.upload(data), r: f64(data) });

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

const conv: Array<{ x: Shape; w: Shape; a: Conv2dAttrs }> = [
  { x: [2, 3, 7, 6], w: [4, 3, 3, 2], a: { stride: [2, 1], pad: [1, 0] } },
  { x: [1, 1, 5, 5], w: [1, 1, 5, 5], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [3, 2, 4, 4], w: [5, 2, 1, 1], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [1, 2, 6, 5], w: [3, 2, 3, 3], a: { stride: [2, 2], pad: [1, 1] } },
];
const pools: Array<{ x: Shape; a: Pool2dAttrs }> = [
  { x: [2, 3, 7, 5], a: { kernel: [3, 2], stride: [2, 2], pad: [1, 1] } },
  { x: [1, 1, 4, 4], a: { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } },
  { x: [2, 3, 7, 19], a: { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } },
  { x: [2, 1, 5, 6], a: { kernel: [3, 3], stride: [1, 2], pad: [1, 0] } },
];

const cases: Record<string, Case[]> = {
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
  conv2d: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs))),
      w = input(b, rand(rng, sizeOf(ws)));
    return { got: b.conv2d(x.h, xs, w.h, ws, a), want: ref.refConv2d(x.r, xs, w.r, ws, a) };
  }),
  conv2dBackwardInput: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const ys = ref.conv2dOutShape(xs, ws, a);
    const dy = input(b, rand(rng, sizeOf(ys))),
      w = input(b, rand(rng, sizeOf(ws)));
    return { got: b.conv2dBackwardInput(dy.h, ys, w.h, ws, xs, a), want: ref.refConv2dBackwardInput(dy.r, ys, w.r, ws, xs, a) };
  }),
  conv2dBackwardFilter: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const ys = ref.conv2dOutShape(xs, ws, a);
    const x = input(b, rand(rng, sizeOf(xs))),
      dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.conv2dBackwardFilter(x.h, xs, dy.h, ys, ws, a), want: ref.refConv2dBackwardFilter(x.r, xs, dy.r, ys, ws, a) };
  }),
  maxPool2d: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.maxPool2d(x.h, xs, a), want: ref.refMaxPool2d(x.r, xs, a) };
  }),
  maxPool2dBackward: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const ys = ref.pool2dOutShape(xs, a);
    const x = input(b, rand(rng, sizeOf(xs))),
      dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.maxPool2dBackward(x.h, xs, dy.h, ys, a), want: ref.refMaxPool2dBackward(x.r, xs, dy.r, ys, a) };
  }),
  avgPool2d: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.avgPool2d(x.h, xs, a), want: ref.refAvgPool2d(x.r, xs, a) };
  }),
  avgPool2dBackward: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const ys = ref.pool2dOutShape(xs, a);
    const dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.avgPool2dBackward(dy.h, ys, xs, a), want: ref.refAvgPool2dBackward(dy.r, ys, xs, a) };
  }),
  adaptiveAvgPool2d: (
    [
      [
        [2, 3, 7, 5],
        [3, 2],
      ],
      [
        [1, 2, 4, 4],
        [4, 4],
      ],
      [
        [1, 1, 5, 3],
        [1, 1],
      ],
      [
        [1, 1, 3, 2],
        [5, 3],
      ],
    ] as Array<[Shape, [number, number]]>
  ).map(([xs, o]): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.adaptiveAvgPool2d(x.h, xs, o), want: ref.refAdaptiveAvgPool2d(x.r, xs, o) };
  }),
  adaptiveAvgPool2dBackward: (
    [
      [
        [2, 3, 7, 5],
        [3, 2],
      ],
      [
        [1, 1, 3, 2],
        [5, 3],
      ],
    ] as Array<[Shape, [number, number]]>
  ).map(([xs, o]): Case => (b, rng) => {
    const ys = [xs[0], xs[1], o[0], o[1]];
    const dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.adaptiveAvgPool2dBackward(dy.h, ys, xs), want: ref.refAdaptiveAvgPool2dBackward(dy.r, ys, xs) };
  }),
  softmax: (
    [
      [5, 7, 4],
      [1, 1, 4],
      [3, 6, 300],
    ] as Array<[number, number, number]>
  ).map(([rows, cols, scale]): Case => (b, rng) => {
    const x = input(b, rand(rng, rows * cols, -scale, scale)); // scale 300: exp overflows unless shifted
    return { got: b.softmax(x.h, rows, cols), want: ref.refSoftmax(x.r, rows, cols) };
  }),
};

/** The backend, with every handle its primitives return recorded in `made` (so a case can be cleaned up). */
const tracking = (b: Backend, made: DataHandle[]): Backend =>
  new Proxy(b, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'release' || prop === 'download' || prop === 'liveHandles') return v;
      return (...args: unknown[]) => {
        const out = (v as (...a: unknown[]) => DataHandle).apply(target, args);
        made.push(out);
        return out;
      };
    },
  });

export const describeBackendConformance = (makeBackend: () => Backend | Promise<Backend>, o: ConformanceOptions): void => {
  describe(`backend conformance: ${o.label ?? 'backend'} vs reference kernels`, () => {
    let b: Backend;
    beforeAll(async () => {
      b = await makeBackend();
    });
    afterAll(() => {
      expect(b.liveHandles(), 'every handle the cases made was released').toBe(0);
    });

    for (const [name, list] of Object.entries(cases)) {
      it(name, () => {
        const before = b.liveHandles();
        const made: DataHandle[] = [];
        const tb = tracking(b, made);
        try {
          list.forEach((run, k) => {
            const { got, want } = run(tb, Rng.fromSeed(1000 + k));
            expect(got.dtype).toBe('float32');
            expectClose(b.download(got), want, o.tolerance, `${name}[${k}]`);
          });
        } finally {
          for (const h of made) b.release(h);
        }
        expect(b.liveHandles(), 'each primitive returns exactly one fresh handle').toBe(before);
      });
    }

    it('optional conv2dBiasAct, where the backend has it: act(conv2d + bias) as the reference', () => {
      if (!b.conv2dBiasAct) return; // backends without it get the op layer's composition
      const made: DataHandle[] = [];
      try {
        conv.forEach(({ x: xs, w: ws, a }, k) => {
          for (const act of ['none', 'relu'] as const) {
            const rng = Rng.fromSeed(2000 + k);
            const x = input(b, rand(rng, sizeOf(xs))),
              w = input(b, rand(rng, sizeOf(ws))),
              bias = input(b, rand(rng, ws[0]));
            made.push(x.h, w.h, bias.h);
            const got = b.conv2dBiasAct!(x.h, xs, w.h, ws, bias.h, a, act);
            made.push(got);
            expectClose(b.download(got), ref.refConv2dBiasAct(x.r, xs, w.r, ws, bias.r, a, act), o.tolerance, `conv2dBiasAct[${k}] ${act}`);
          }
        });
      } finally {
        for (const h of made) b.release(h);
      }
    });

    it("optional sinkhornBatched, where the backend has it: lib/ot's host solver as the reference", () => {
      checkSinkhornConformance(b, o.tolerance, worstError); // backends without it get the reference through lib/ot/device.ts
    });

    it('memory: liveHandles counts, release frees, a second release is an error', () => {
      const start = b.liveHandles();
      const h = b.fill(5, 1, 'float32');
      expect(b.liveHandles()).toBe(start + 1);
      b.release(h);
      expect(b.liveHandles()).toBe(start);
      expect(() => b.release(h)).toThrow();
    });
  });
};
