import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BinaryOp, ReduceOp, UnaryOp } from '../../../lib/backend/backend.js';
import { Rng } from '../../../lib/rng/rng.js';
import { sizeOf } from '../../../lib/tensor/shape.js';
import { refBinary, refUnary } from '../reference/elementwise.js';
import { refReduce } from '../reference/reduce.js';
import { lightBinary } from './binary.js';
import { lightReduce } from './reduce.js';
import { lightUnary } from './unary.js';
import { coalesce } from './coalesce.js';

const SEED = 20261130;
const filled = (n: number, rng: Rng) => Float64Array.from({ length: n }, () => rng.normal());

/** A shape and a broadcast-compatible partner (some axes set to 1, maybe fewer leading axes). */
const shapePair = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((s) =>
  fc
    .tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.integer({ min: 0, max: s.length - 1 }))
    .map(([a, ones, drop]) => ({
      a,
      b: a.map((d, i) => (ones[i] ? 1 : d)).slice(drop),
    })),
);

describe('light CPU kernels equal the reference kernels', () => {
  it('coalesces contiguous runs and drops unit axes', () => {
    expect(
      coalesce(
        [2, 3, 4],
        [
          [2, 3, 4],
          [2, 3, 4],
        ],
      ).shape,
    ).toEqual([24]);
    const bias = coalesce(
      [8, 4, 5, 5],
      [
        [8, 4, 5, 5],
        [1, 4, 1, 1],
      ],
    );
    expect(bias.shape).toEqual([8, 4, 25]);
    expect(bias.strides[1]).toEqual([0, 1, 0]);
  });

  it('binary maps with broadcasting, both operand orders, bit for bit', () => {
    const ops: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'max', 'pow', 'gt', 'reluGrad'];
    fc.assert(
      fc.property(shapePair, fc.constantFrom(...ops), fc.boolean(), ({ a, b }, op, swap) => {
        const rng = Rng.fromSeed(a.length * 31 + b.length);
        const [sa, sb] = swap ? [b, a] : [a, b];
        const xa = filled(sizeOf(sa), rng);
        const xb = filled(sizeOf(sb), rng);
        const out = a; // the broadcast shape is a's (b is a broadcast of it)
        const want = refBinary(op, xa, sa, xb, sb, out);
        const got = new Float64Array(sizeOf(out));
        lightBinary(op, xa, sa, xb, sb, out, got);
        expect(Array.from(got)).toEqual(Array.from(want));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('reductions over any axes', () => {
    const ops: ReduceOp[] = ['sum', 'max', 'min'];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }).chain((s) =>
          fc.tuple(
            fc.constant(s),
            fc.subarray(
              s.map((_, i) => i),
              { minLength: 1 },
            ),
          ),
        ),
        fc.constantFrom(...ops),
        ([shape, axes], op) => {
          const x = filled(sizeOf(shape), Rng.fromSeed(shape.length * 7 + axes.length));
          const n = sizeOf(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
          const want = refReduce(op, x, shape, axes);
          const got = new Float64Array(n);
          lightReduce(op, x, shape, axes, got);
          for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i], 12);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('column sums (a reduced axis just inside the contiguous one) carry into the outer axes', () => {
    // [3, 5, 7] over axis 1: five rows summed at once per outer index; [2, 6, 3, 4] over [1, 3]
    // coalesces differently; odd and multiple-of-four row counts both
    for (const [shape, axes] of [
      [[3, 5, 7], [1]],
      [[4, 8, 3], [1]],
      [[2, 6, 3, 4], [1]],
      [[6, 9], [0]],
      [
        [2, 3, 4, 5],
        [0, 2],
      ],
    ] as const) {
      const x = filled(sizeOf(shape), Rng.fromSeed(shape.length));
      const want = refReduce('sum', x, shape, axes);
      const got = new Float64Array(want.length);
      lightReduce('sum', x, shape, axes, got);
      for (let i = 0; i < want.length; i++) expect(got[i], `${shape} over ${axes} [${i}]`).toBeCloseTo(want[i], 12);
    }
  });

  it('max/min propagate NaN like the reference', () => {
    const x = Float64Array.from([1, NaN, 3, 4, 5, 6]);
    const got = new Float64Array(2);
    lightReduce('max', x, [2, 3], [1], got);
    expect(Number.isNaN(got[0])).toBe(true);
    expect(got[1]).toBe(6);
  });

  it('unary maps', () => {
    const ops: UnaryOp[] = ['relu', 'step', 'neg', 'square', 'exp', 'tanh', 'gelu', 'geluGrad', 'sigmoid'];
    const x = Float64Array.from([-2, -0.5, 0, 0.5, 2, NaN]);
    for (const op of ops) {
      const got = new Float64Array(x.length);
      lightUnary(op, x, got);
      expect(Array.from(got), op).toEqual(Array.from(refUnary(op, x)));
    }
  });

  it('float32 relu and step (branch-free bit forms) equal the reference bit for bit, signed zeros and NaNs included', () => {
    const specials = [0, -0, NaN, -NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38, -3.4e38, 1, -1];
    const x32 = new Float32Array(specials.length + 1000);
    x32.set(specials);
    const rng = Rng.fromSeed(SEED);
    for (let i = specials.length; i < x32.length; i++) x32[i] = rng.normal() * 10 ** Math.floor(rng.uniform() * 6 - 3);
    new Int32Array(x32.buffer)[3] = 0xffc00001 | 0; // a negative NaN with a payload
    for (const op of ['relu', 'step'] as const) {
      const got = new Float32Array(x32.length);
      lightUnary(op, x32, got);
      const want = new Float32Array(refUnary(op, x32));
      for (let i = 0; i < x32.length; i++) {
        const same = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
        expect(same, `${op}(${x32[i]}) = ${got[i]}, want ${want[i]}`).toBe(true);
      }
      // NaN payloads pass through unchanged
      expect(new Int32Array(got.buffer)[3]).toBe(new Int32Array(x32.buffer)[3]);
    }
    // reluGrad(g, x) = g * step(x), with signed and infinite g against every special x
    const g32 = new Float32Array(x32.length);
    for (let i = 0; i < g32.length; i++) g32[i] = [3, -2, -0, Infinity, -Infinity, NaN, 0.5][i % 7];
    const got = new Float32Array(x32.length);
    lightBinary('reluGrad', g32, [x32.length], x32, [x32.length], [x32.length], got);
    const want = new Float32Array(refBinary('mul', g32, [x32.length], refUnary('step', x32), [x32.length], [x32.length]));
    for (let i = 0; i < x32.length; i++) {
      const same = Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i]));
      expect(same, `reluGrad(${g32[i]}, ${x32[i]}) = ${got[i]}, want ${want[i]}`).toBe(true);
    }
  });
});

describe('light max pooling equals the reference', () => {
  it('forward and backward on awkward windows (padding, stride, ties, NaN)', async () => {
    const { refMaxPool2d, refMaxPool2dBackward } = await import('../reference/pool2d.js');
    const { lightMaxPool2d, lightMaxPool2dBackward } = await import('./max-pool.js');
    const cases = [
      { shape: [2, 3, 7, 5], kernel: [2, 2], stride: [2, 2], pad: [0, 0] },
      { shape: [1, 2, 6, 6], kernel: [3, 3], stride: [2, 2], pad: [1, 1] },
      { shape: [1, 1, 5, 4], kernel: [3, 2], stride: [1, 2], pad: [1, 0] },
    ] as const;
    const rng = Rng.fromSeed(SEED);
    for (const c of cases) {
      const attrs = { kernel: c.kernel, stride: c.stride, pad: c.pad };
      const x = Float64Array.from({ length: sizeOf(c.shape) }, () => Math.round(rng.normal() * 2)); // rounding makes ties
      x[3] = NaN;
      const want = refMaxPool2d(x, c.shape, attrs);
      const got = new Float64Array(want.length);
      lightMaxPool2d(x, c.shape, attrs, got);
      expect(Array.from(got)).toEqual(Array.from(want));
      const dy = filled(want.length, rng);
      const wantDx = refMaxPool2dBackward(x, c.shape, dy, [], attrs);
      const gotDx = new Float64Array(x.length);
      lightMaxPool2dBackward(x, c.shape, dy, attrs, gotDx);
      expect(Array.from(gotDx)).toEqual(Array.from(wantDx));
    }
  });
});
