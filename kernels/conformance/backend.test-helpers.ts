/**
 * One test body per Backend primitive, run against any backend: each case feeds the backend
 * float32 inputs and compares its output with the reference kernels (kernels/cpu/reference),
 * computed in float64 on the same float32 values. Tolerance: |got - want| <= tolerance * (1 + |want|)
 * elementwise (float32 kernels over these small shapes stay within 1e-5; 1e-4 leaves room for
 * GPU transcendental functions). NaN must match NaN.
 *
 * The cases are in cases.test-helpers.ts and spatial-cases.test-helpers.ts.
 *
 * Usage (in a *.test.ts): describeBackendConformance(() => createGpujsBackend(), { tolerance: 1e-4 }).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, DataHandle } from '../../lib/backend/backend.js';
import { Rng } from '../../lib/rng/rng.js';
import { sizeOf } from '../../lib/tensor/shape.js';
import * as ref from '../cpu/reference/index.js';
import { denseCases, input, rand } from './cases.test-helpers.js';
import { expectClose, worstError } from './compare.test-helpers.js';
import { checkSinkhornConformance } from './sinkhorn.test-helpers.js';
import { conv, spatialCases } from './spatial-cases.test-helpers.js';

export interface ConformanceOptions {
  /** Elementwise: |got - want| <= tolerance * (1 + |want|). */
  readonly tolerance: number;
  /** Label for the describe block (defaults to the backend's name). */
  readonly label?: string;
}

const cases = { ...denseCases, ...spatialCases };

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
