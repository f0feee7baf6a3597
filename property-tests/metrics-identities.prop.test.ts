/** Laws of the evaluation metrics (population statistics) and of the losses' gradients. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ccc, pcc, rmse, sagr } from '../lib/metrics/metrics.js';
import { dbl, params, series, va } from './arbitraries.js';

const TOL = 1e-12;
const distinct = (y: number[]) => new Set(y).size > 1;

describe('metrics (property)', () => {
  it('CCC <= |PCC| <= 1, all finite', () => {
    fc.assert(
      fc.property(series(), ([y, p]) => {
        const r = pcc(y, p);
        const c = ccc(y, p);
        return Number.isFinite(r) && Number.isFinite(c) && c <= Math.abs(r) + TOL && Math.abs(r) <= 1;
      }),
      params(300),
    );
  });

  it('CCC = 1 iff prediction = label', () => {
    fc.assert(
      fc.property(series(), fc.boolean(), ([y, p], same) => {
        const q = same ? y.slice() : p;
        const equal = q.every((v, i) => v === y[i]);
        return (ccc(y, q) === 1) === equal && (!equal || (pcc(y, q) === 1 && rmse(y, q) === 0));
      }),
      params(300),
    );
  });

  it('CCC = PCC when means and variances agree (prediction a permutation of the label)', () => {
    fc.assert(
      fc.property(
        fc
          .array(va, { minLength: 2, maxLength: 30 })
          .chain((y) => fc.tuple(fc.constant(y), fc.shuffledSubarray(y, { minLength: y.length, maxLength: y.length }))),
        ([y, p]) => Math.abs(ccc(y, p) - pcc(y, p)) <= 1e-9,
      ),
      params(300),
    );
  });

  it('PCC is invariant to positive affine maps of the prediction and negated by negative ones', () => {
    fc.assert(
      fc.property(series(), dbl(0.01, 10), dbl(-2, 2), fc.boolean(), ([y, p], s, t, neg) => {
        fc.pre(distinct(y) && distinct(p));
        const k = neg ? -s : s;
        const q = p.map((v) => k * v + t);
        fc.pre(distinct(q));
        return Math.abs(pcc(y, q) - (neg ? -1 : 1) * pcc(y, p)) <= 1e-9;
      }),
      params(300),
    );
  });

  it('a constant prediction has PCC = CCC = 0 (documented), unless it equals the label', () => {
    fc.assert(
      fc.property(series(), dbl(-1, 1), ([y], c) => {
        const q = y.map(() => c);
        if (y.every((v) => v === c)) return pcc(y, q) === 1 && ccc(y, q) === 1;
        return pcc(y, q) === 0 && ccc(y, q) === 0;
      }),
      params(200),
    );
  });

  it('RMSE >= 0, 0 iff equal, symmetric', () => {
    fc.assert(
      fc.property(series(1), fc.boolean(), ([y, p], same) => {
        const q = same ? y.slice() : p;
        const equal = q.every((v, i) => v === y[i]);
        return rmse(y, q) >= 0 && (rmse(y, q) === 0) === equal && rmse(y, q) === rmse(q, y);
      }),
      params(300),
    );
  });

  it('SAGR in [0, 1] and invariant to positive scaling, for every zero convention', () => {
    fc.assert(
      fc.property(
        series(1),
        dbl(1e-3, 1e3),
        fc.constantFrom('sign' as const, 'release' as const, 'nonneg' as const),
        fc.boolean(),
        ([y, p], s, zero, zeros) => {
          const yz = zeros ? y.map((v) => Math.round(v)) : y; // exercise exact zeros
          const r = sagr(yz, p, zero);
          return (
            r >= 0 &&
            r <= 1 &&
            r ===
              sagr(
                yz,
                p.map((v) => v * s),
                zero,
              ) &&
            r ===
              sagr(
                yz.map((v) => v * s),
                p,
                zero,
              )
          );
        },
      ),
      params(300),
    );
  });

  it('SAGR zero conventions: release never counts a zero label, sign counts 0 = 0', () => {
    expect(sagr([0, 1, -1, 0], [0, 1, -1, 0.5], 'sign')).toBe(0.75);
    expect(sagr([0, 1, -1, 0], [0, 1, -1, 0.5], 'release')).toBe(0.5);
    expect(sagr([0, 1, -1, 0], [0, 1, -1, 0.5], 'nonneg')).toBe(1);
  });
});
