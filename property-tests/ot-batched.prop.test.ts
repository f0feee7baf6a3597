/**
 * Backend.sinkhornBatched = lib/ot's host solver (sinkhornBatchedReference: runScaling per
 * problem). The CPU backend reproduces it to the last bit on float64 handles (same float64
 * arithmetic, same order) and to one float32 rounding on float32 handles; the gpujs backend
 * (float32 kernels; GPU.js's default mode here: webasm without a display, headless GL under
 * xvfb) agrees within float32 tolerances: plan entries within 2e-4 of the largest entry
 * (relative), at lambda <= 5 and T <= 8, where nothing under/overflows in float32.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Backend, SinkhornAttrs } from '../lib/backend/backend.js';
import { sinkhornBatchedReference } from '../lib/ot/index.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { createGpujsBackend, isGLKernelClass } from '../kernels/gpujs/gpujs-backend.js';
import { close, dbl, params } from './arbitraries.js';

interface Batch {
  readonly attrs: SinkhornAttrs;
  readonly cost: number[];
  readonly a: number[];
  readonly b: number[];
}

/** P problems of one shape; weights in [0.05, 1] (some exactly 0 when `zeros`), costs in [0, 2]. */
const batch = (o: {
  maxP: number;
  maxN: number;
  lambda: fc.Arbitrary<number>;
  T: fc.Arbitrary<number>;
  tolerance: fc.Arbitrary<number>;
  guard: fc.Arbitrary<number>;
}) =>
  fc
    .record({
      count: fc.integer({ min: 1, max: o.maxP }),
      n: fc.integer({ min: 1, max: o.maxN }),
      m: fc.integer({ min: 1, max: o.maxN }),
      ...{ lambda: o.lambda, iterations: o.T, tolerance: o.tolerance, guard: o.guard },
    })
    .chain((attrs) =>
      fc.record({
        attrs: fc.constant(attrs),
        cost: fc.array(dbl(0, 2), { minLength: attrs.count * attrs.n * attrs.m, maxLength: attrs.count * attrs.n * attrs.m }),
        a: fc.array(dbl(0.05, 1), { minLength: attrs.count * attrs.n, maxLength: attrs.count * attrs.n }),
        b: fc.array(dbl(0.05, 1), { minLength: attrs.count * attrs.m, maxLength: attrs.count * attrs.m }),
      }),
    );

const solve = (be: Backend, x: Batch, make: (v: number[]) => Float32Array | Float64Array) => {
  const hs = [be.upload(make(x.cost)), be.upload(make(x.a)), be.upload(make(x.b))];
  const r = be.sinkhornBatched!(hs[0], hs[1], hs[2], x.attrs);
  const out = { plan: be.download(r.plan), u: be.download(r.u), v: be.download(r.v), stats: be.download(r.stats) };
  for (const h of [...hs, r.plan, r.u, r.v, r.stats]) be.release(h);
  return out;
};

const sameBits = (x: ArrayLike<number>, y: ArrayLike<number>) => x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));

describe('batched Sinkhorn primitive (property)', () => {
  const cpu = createCpuBackend({ threads: 1 });

  it('CPU backend = the host reference: bit for bit on float64, one rounding on float32', () => {
    fc.assert(
      fc.property(
        batch({
          maxP: 9,
          maxN: 10,
          lambda: dbl(0.1, 10),
          T: fc.integer({ min: 1, max: 30 }),
          tolerance: fc.constantFrom(0, 1e-6),
          guard: fc.constantFrom(0, 1e-6),
        }),
        (x) => {
          const want = sinkhornBatchedReference(x.cost, x.a, x.b, x.attrs);
          const g64 = solve(cpu, x, (v) => Float64Array.from(v));
          const ok64 = (['plan', 'u', 'v', 'stats'] as const).every((k) => sameBits(g64[k], want[k]));
          const in32 = { cost: Array.from(Float32Array.from(x.cost)), a: Array.from(Float32Array.from(x.a)), b: Array.from(Float32Array.from(x.b)) };
          const want32 = sinkhornBatchedReference(in32.cost, in32.a, in32.b, x.attrs);
          const g32 = solve(cpu, { ...x, ...in32 }, (v) => Float32Array.from(v));
          const ok32 = (['plan', 'u', 'v', 'stats'] as const).every((k) => sameBits(g32[k], Float32Array.from(want32[k])));
          return ok64 && ok32;
        },
      ),
      params(150),
    );
  });

  describe('gpujs backend', () => {
    const gpujs = createGpujsBackend({ log: () => undefined });
    afterAll(() => gpujs.destroy());

    it(`gpujs = the host reference within float32 tolerance (${gpujs.kernelClass})`, () => {
      fc.assert(
        fc.property(
          batch({ maxP: 5, maxN: 10, lambda: dbl(0.5, 5), T: fc.integer({ min: 1, max: 8 }), tolerance: fc.constant(0), guard: fc.constantFrom(0, 1e-6) }),
          (x) => {
            const in32 = { cost: Array.from(Float32Array.from(x.cost)), a: Array.from(Float32Array.from(x.a)), b: Array.from(Float32Array.from(x.b)) };
            const want = sinkhornBatchedReference(in32.cost, in32.a, in32.b, x.attrs);
            const got = solve(gpujs, { ...x, ...in32 }, (v) => Float32Array.from(v));
            const P = x.attrs.count;
            const its = (s: ArrayLike<number>) => Array.from({ length: P }, (_, k) => s[2 * k]);
            return close(got.plan, want.plan, 2e-4) && close(got.v, want.v, 2e-4) && close(got.u, want.u, 2e-4) && sameBits(its(got.stats), its(want.stats));
          },
        ),
        params(12),
      );
      // CI runs this under xvfb with ELIM_REQUIRE_GL=1: the kernels must really have run on GL
      if (process.env.ELIM_REQUIRE_GL === '1') expect(isGLKernelClass(gpujs.kernelClass), `got ${gpujs.kernelClass}`).toBe(true);
    });

    it('gpujs stops each problem at its own tolerance, on the device', () => {
      // problem 0 needs many iterations, problem 1 (a constant cost) is at its fixed point after one
      const x: Batch = {
        attrs: { count: 2, n: 3, m: 3, lambda: 2, iterations: 300, tolerance: 1e-5, guard: 0 },
        cost: [0, 1, 2, 1, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        a: [1, 1, 1, 1, 1, 1],
        b: [1.5, 1, 0.5, 1, 1, 1],
      };
      const got = solve(gpujs, x, (v) => Float32Array.from(v));
      const want = sinkhornBatchedReference(x.cost, x.a, x.b, x.attrs);
      expect(got.stats[2]).toBeLessThan(got.stats[0]);
      expect(got.stats[2]).toBe(want.stats[2]);
      expect(Math.abs(got.stats[0] - want.stats[0])).toBeLessThanOrEqual(2); // float32 may cross the threshold a step apart
      expect(close(got.plan, want.plan, 1e-4)).toBe(true);
    });
  });
});
