/**
 * Batched Sinkhorn = one by one: the CPU batched kernel reproduces the reference solver to the
 * last bit (same arithmetic, same storage type); the GPU.js kernels (float32 whatever the
 * dtype; here in GPU.js's default mode, webasm without a display, headlessgl under xvfb) agree
 * within float32 tolerances: plan entries within 2e-4 of the largest entry (relative), at
 * lambda <= 5 and T <= 8, where nothing under/overflows in float32.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { GPU } from 'gpu.js';
import { solveBatched, type OtProblem } from '../lib/ot/index.js';
import { createCpuBatchedSinkhorn } from '../kernels/cpu/sinkhorn-batched.js';
import { createGpujsBatchedSinkhorn } from '../kernels/gpujs/sinkhorn-batched.js';
import { isGLKernelClass } from '../kernels/gpujs/gpujs-backend.js';
import { close, dbl, params, problemSpec, right, toProblem } from './arbitraries.js';

const batchOf = (dtype: 'float32' | 'float64', maxP = 9) => fc.array(problemSpec(10), { minLength: 1, maxLength: maxP }).map((ss) => ss.map((s) => toProblem(s, dtype)));

const sameBits = (x: ArrayLike<number>, y: ArrayLike<number>) => x.length === y.length && Array.from(x).every((v, i) => Object.is(v, y[i]));

describe('batched Sinkhorn (property)', () => {
  const cpu = createCpuBatchedSinkhorn();

  it('CPU batched = one by one, bit for bit, float64 and float32, fixed T or tolerance', () => {
    fc.assert(
      fc.property(fc.constantFrom('float32' as const, 'float64' as const).chain((d) => batchOf(d)), dbl(0.1, 10), fc.integer({ min: 1, max: 30 }), fc.constantFrom(0, 1e-6), fc.constantFrom(0, 1e-6), (ps, lambda, T, tolerance, guard) => {
        const o = { lambda, iterations: T, tolerance, guard };
        const ref = solveBatched(ps, o);
        const got = solveBatched(ps, o, cpu);
        if (E.isLeft(ref)) return E.isLeft(got) && got.left._tag === ref.left._tag;
        const g = right(got);
        return ref.right.every((r, k) => sameBits(r.plan, g[k].plan) && sameBits(r.u, g[k].u) && sameBits(r.v, g[k].v) && r.iterations === g[k].iterations && r.converged === g[k].converged && sameBits(r.errorTrace, g[k].errorTrace));
      }),
      params(150),
    );
  });

  it('the ELIM shape: 9 pairs of 10 x 10 in one call', () => {
    const ps: OtProblem[] = Array.from({ length: 9 }, (_, k) => toProblem({ n: 10, m: 10, cost: Array.from({ length: 100 }, (_, i) => ((i * 7 + k * 13) % 17) / 8.5), a: new Array(10).fill(1), b: new Array(10).fill(1) }));
    const out = right(solveBatched(ps, {}, cpu));
    expect(out).toHaveLength(9);
    expect(out.every((o) => o.iterations === 5 && o.shift.length === 10)).toBe(true);
  });

  describe('GPU.js kernels', () => {
    const gpu = new GPU();
    const kern = createGpujsBatchedSinkhorn(gpu);
    afterAll(() => {
      kern.dispose();
      gpu.destroy();
    });

    it(`GPU.js batched = one by one within float32 tolerance (mode: ${gpu.mode})`, () => {
      fc.assert(
        fc.property(batchOf('float32', 5), dbl(0.5, 5), fc.integer({ min: 1, max: 8 }), (ps, lambda, T) => {
          const o = { lambda, iterations: T };
          const ref = right(solveBatched(ps, o));
          const got = right(solveBatched(ps, o, kern));
          return ref.every((r, k) => close(got[k].plan, r.plan, 2e-4) && close(got[k].shift, r.shift, 2e-4, 1e-6) && got[k].iterations === r.iterations);
        }),
        params(12),
      );
      // CI runs this under xvfb with ELIM_REQUIRE_GL=1: the kernels must really have run on GL
      console.log(`[ot-batched] GPU.js Sinkhorn kernel class: ${kern.kernelClass()}`);
      if (process.env.ELIM_REQUIRE_GL === '1') expect(isGLKernelClass(kern.kernelClass()), `got ${kern.kernelClass()}`).toBe(true);
    });

    it('GPU.js batched stops each problem at its own tolerance', () => {
      const ps = [toProblem({ n: 3, m: 4, cost: [0, 1, 2, 1, 1, 0, 1, 2, 2, 1, 0, 1], a: [1, 1, 1], b: [1, 1, 1, 1] }, 'float32'), toProblem({ n: 2, m: 2, cost: [0, 0, 0, 0], a: [1, 1], b: [1, 1] }, 'float32')];
      const got = right(solveBatched(ps, { lambda: 2, iterations: 500, tolerance: 1e-6, guard: 0 }, kern));
      const ref = right(solveBatched(ps, { lambda: 2, iterations: 500, tolerance: 1e-6, guard: 0 }));
      expect(got[1].iterations).toBeLessThan(got[0].iterations);
      got.forEach((g, k) => expect(close(g.plan, ref[k].plan, 1e-4)).toBe(true));
    });
  });
});
