/**
 * Algebraic laws of the engine's ops, checked with fast-check on random shapes (fixed seed;
 * fast-check prints the seed and the shrunk counterexample on failure). Values come from the
 * engine's own seeded Rng, seeded by fast-check, so a failure replays exactly.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';
import * as T from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import { scope } from '../lib/tensor/scope.js';
import type { Shape } from '../lib/tensor/shape.js';

const SEED = 20240611;
const RUNS = 40;
const run = <A>(arb: fc.Arbitrary<A>, pred: (a: A) => boolean) =>
  fc.assert(
    fc.property(arb, (a) => scope(() => pred(a))),
    { seed: SEED, numRuns: RUNS },
  );

const dim = fc.integer({ min: 1, max: 5 });
const shapeArb = fc.array(dim, { minLength: 1, maxLength: 4 });
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const scaleArb = fc.float({ min: Math.fround(0.01), max: Math.fround(50), noNaN: true });

const rnd = (shape: Shape, seed: number, scale = 1, dtype: 'float32' | 'float64' = 'float32') => T.randomNormal(shape, Rng.fromSeed(seed), 0, scale, { dtype });
const maxAbsDiff = (a: T.TensorLike, b: T.TensorLike) => {
  const x = (a as ReturnType<typeof T.tensor>).toArray();
  const y = (b as ReturnType<typeof T.tensor>).toArray();
  let m = x.length === y.length ? 0 : Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
};
const same = (a: ReturnType<typeof T.tensor>, b: ReturnType<typeof T.tensor>) => a.shape.join() === b.shape.join() && maxAbsDiff(a, b) === 0;

describe('engine laws (fast-check, seed ' + SEED + ')', () => {
  beforeAll(() => {
    useBackend(createCpuBackend());
  });

  it('matmul is associative within float64 rounding (and float32 within 1e-4)', () => {
    run(fc.tuple(dim, dim, dim, dim, seedArb), ([m, k, n, p, s]) => {
      for (const dtype of ['float64', 'float32'] as const) {
        const a = rnd([m, k], s, 1, dtype),
          b = rnd([k, n], s + 1, 1, dtype),
          c = rnd([n, p], s + 2, 1, dtype);
        const err = maxAbsDiff(T.matmul(T.matmul(a, b), c), T.matmul(a, T.matmul(b, c)));
        if (!(err <= (dtype === 'float64' ? 1e-12 : 1e-4) * (1 + k * n))) return false;
      }
      return true;
    });
  });

  it('(A B)^T = B^T A^T through the transpose flags', () => {
    run(fc.tuple(dim, dim, dim, seedArb), ([m, k, n, s]) => {
      const a = rnd([m, k], s),
        b = rnd([k, n], s + 1);
      return maxAbsDiff(T.transpose(T.matmul(a, b)), T.matmul(b, a, { transA: true, transB: true })) <= 1e-5;
    });
  });

  it('softmax rows sum to 1 and lie in [0, 1], at any scale of logits', () => {
    run(fc.tuple(shapeArb, seedArb, scaleArb), ([shape, s, scale]) => {
      const y = T.softmax(rnd(shape, s, scale), -1);
      const sums = T.sum(y, -1).toArray();
      return sums.every((v) => Math.abs(v - 1) <= 1e-5) && y.toArray().every((v) => v >= 0 && v <= 1);
    });
  });

  it('permute then the inverse permutation is the identity', () => {
    run(fc.tuple(shapeArb, seedArb), ([shape, s]) => {
      const perm = Rng.fromSeed(s).shuffle(shape.map((_, i) => i));
      const inv = perm.map((_, i) => perm.indexOf(i));
      const x = rnd(shape, s);
      return same(T.permute(T.permute(x, perm), inv), x);
    });
  });

  it('broadcasting add and mul commute', () => {
    const pair = fc.tuple(shapeArb, seedArb).map(([shape, s]) => {
      const r = Rng.fromSeed(s);
      const other = shape.slice(r.int(shape.length + 1)).map((d) => (r.uniform() < 0.5 ? 1 : d));
      return { a: shape, b: other, s };
    });
    run(pair, ({ a, b, s }) => {
      const x = rnd(a, s),
        y = rnd(b, s + 1);
      return same(T.add(x, y), T.add(y, x)) && same(T.mul(x, y), T.mul(y, x));
    });
  });

  it('concat then slice gives the pieces back', () => {
    run(fc.tuple(shapeArb, fc.array(dim, { minLength: 1, maxLength: 3 }), seedArb), ([shape, sizes, s]) => {
      const axis = s % shape.length;
      const parts = sizes.map((d, k) =>
        rnd(
          shape.map((v, i) => (i === axis ? d : v)),
          s + k,
        ),
      );
      const joined = T.concat(parts, axis);
      let at = 0;
      return parts.every((p) => {
        const begin = shape.map((_, i) => (i === axis ? at : 0));
        at += p.shape[axis];
        return same(T.slice(joined, begin, p.shape), p);
      });
    });
  });

  it('a sum over all axes equals summing one axis at a time', () => {
    run(fc.tuple(shapeArb, seedArb), ([shape, s]) => {
      const x = rnd(shape, s, 1, 'float64');
      let y = x;
      for (let i = shape.length - 1; i >= 0; i--) y = T.sum(y, i);
      return Math.abs(y.item() - T.sum(x).item()) <= 1e-12 * (1 + shape.reduce((a, b) => a * b, 1));
    });
  });

  it('conv2d is linear in its input', () => {
    run(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 2 }), seedArb), ([c, h, stride, s]) => {
      const w = rnd([2, c, 3, 3], s, 1, 'float64');
      const x = rnd([1, c, h, h + 1], s + 1, 1, 'float64'),
        z = rnd([1, c, h, h + 1], s + 2, 1, 'float64');
      const o = { stride, padding: 1 };
      return maxAbsDiff(T.conv2d(T.add(T.mul(x, 2), z), w, o), T.add(T.mul(T.conv2d(x, w, o), 2), T.conv2d(z, w, o))) <= 1e-12;
    });
  });

  it('a property that cannot hold is reported (the harness can fail)', () => {
    expect(() =>
      fc.assert(
        fc.property(seedArb, (s) => scope(() => rnd([3], s).toArray()[0] > 100)),
        { seed: SEED, numRuns: 5 },
      ),
    ).toThrow(/seed/);
  });
});
