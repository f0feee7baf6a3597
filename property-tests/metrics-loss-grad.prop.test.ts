/**
 * The VA losses on tensors (float64, CPU backend): values equal the float64 reference, the
 * autodiff gradient equals the analytic one, and every term passes a directional central-
 * difference check (property-tests/gradcheck.ts), including the unbiased-std variant and a
 * constant prediction (the eps guard keeps it finite). Also the tensor cost/relevance helpers
 * against their typed-array definitions, with a gradient check through the cosine cost.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';
import { grad } from '../lib/autograd/grad.js';
import * as T from '../lib/ops/index.js';
import { scope } from '../lib/tensor/scope.js';
import { vaLoss, vaLossReference, type StdMode } from '../lib/losses/index.js';
import { cosineCost, cosineCostT, relevanceT, relevanceWeights, sqEuclideanCost, sqEuclideanCostT } from '../lib/ot/index.js';
import { gradCheck } from './gradcheck.js';
import { close, dbl, params, right } from './arbitraries.js';

const backend = useBackend(createCpuBackend());
const f64 = (v: ArrayLike<number>, shape: number[], requiresGrad = false) => T.tensor(Float64Array.from(v), shape, { dtype: 'float64', backend, requiresGrad });

const pairs = (minN = 2, maxN = 12) =>
  fc
    .integer({ min: minN, max: maxN })
    .chain((n) => fc.tuple(fc.array(dbl(-1, 1), { minLength: 2 * n, maxLength: 2 * n }), fc.array(dbl(-1, 1), { minLength: 2 * n, maxLength: 2 * n })));
const std = fc.constantFrom<StdMode>('population', 'unbiased');
const TERMS = ['total', 'mseValence', 'mseArousal', 'pccLoss', 'cccLoss'] as const;

describe('VA losses (property, float64 CPU backend)', () => {
  afterAll(() => expect(backend.liveHandles()).toBeLessThan(50));

  it('tensor values and autodiff gradient equal the float64 reference', () => {
    fc.assert(
      fc.property(pairs(), std, ([s, l], mode) =>
        scope(() => {
          const n = s.length / 2;
          const x = f64(s, [n, 2], true);
          const terms = vaLoss(x, f64(l, [n, 2]), { std: mode });
          const ref = vaLossReference(s, l, { std: mode });
          for (const k of TERMS) expect(terms[k].item()).toBeCloseTo(ref[k], 10);
          const [g] = grad(terms.total, [x]);
          return close(g.toArray(), ref.grad, 1e-8, 1e-12);
        }),
      ),
      params(80),
    );
  });

  it('every term passes a directional finite-difference check (including a constant prediction)', () => {
    fc.assert(
      fc.property(pairs(3), std, fc.boolean(), fc.integer({ min: 1, max: 1000 }), ([s, l], mode, constant, seed) =>
        scope(() => {
          const n = s.length / 2;
          // labels with some spread; the step is 1e-8 because near a constant prediction the eps-guarded
          // PCC bends on the sqrt(eps) = 1e-4 scale (third-order error ~ step^2 / eps)
          const spread = (k: number) => Math.max(...l.filter((_, i) => i % 2 === k)) - Math.min(...l.filter((_, i) => i % 2 === k));
          fc.pre(spread(0) > 0.05 && spread(1) > 0.05);
          const sv = constant ? s.map((_, k) => (k % 2 === 0 ? 0.3 : s[k])) : s;
          const labels = f64(l, [n, 2]);
          for (const k of TERMS) {
            const err = gradCheck((x) => vaLoss(x, labels, { std: mode })[k], [f64(sv, [n, 2])], { seed, eps: 1e-8 });
            expect(err, `${k} (${mode}${constant ? ', constant valence' : ''})`).toBeLessThan(1e-5);
          }
          return true;
        }),
      ),
      params(25),
    );
  });
});

describe('tensor cost and relevance = typed-array definitions', () => {
  const points = fc.record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 5 }) }).chain(({ n, m, d }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      d: fc.constant(d),
      x: fc.array(dbl(-2, 2), { minLength: n * d, maxLength: n * d }),
      y: fc.array(dbl(-2, 2), { minLength: m * d, maxLength: m * d }),
    }),
  );

  it('cosine and squared Euclidean costs, with a gradient check through the cosine cost', () => {
    fc.assert(
      fc.property(points, ({ n, m, d, x, y }) =>
        scope(() => {
          const px = { data: x, rows: n, dim: d };
          const py = { data: y, rows: m, dim: d };
          const cx = cosineCost(px, py);
          const ct = cosineCostT(f64(x, [n, d]), f64(y, [m, d])).toArray();
          // the tensor version is not clamped to [0, 2]: compare within rounding
          expect(close(ct, cx, 1e-9, 1e-12)).toBe(true);
          expect(close(sqEuclideanCostT(f64(x, [n, d]), f64(y, [m, d])).toArray(), sqEuclideanCost(px, py), 1e-9, 1e-12)).toBe(true);
          const norms = (v: number[], r: number) => Array.from({ length: r }, (_, i) => Math.hypot(...v.slice(i * d, i * d + d)));
          if ([...norms(x, n), ...norms(y, m)].every((q) => q > 0.1)) {
            expect(gradCheck((a, b) => cosineCostT(a, b), [f64(x, [n, d]), f64(y, [m, d])], { eps: 1e-6 })).toBeLessThan(1e-5);
          }
          return true;
        }),
      ),
      params(60),
    );
  });

  it("relevance weights (mean-dot and norm): a sums to n, b rescaled to a's mass", () => {
    fc.assert(
      fc.property(points, fc.constantFrom('mean-dot' as const, 'norm' as const), ({ n, m, d, x, y }, mode) =>
        scope(() => {
          const px = { data: x, rows: n, dim: d };
          const py = { data: y, rows: m, dim: d };
          const w = relevanceWeights(px, py, mode);
          if (w._tag === 'Left') return w.left._tag === 'ZeroMass';
          const t = relevanceT(f64(x, [n, d]), f64(y, [m, d]), mode);
          const { a, b } = right(w);
          return (
            close(t.a.toArray(), a, 1e-9) &&
            close(
              t.b.toArray(),
              b.map((v) => (v * n) / m),
              1e-9,
            )
          );
        }),
      ),
      params(60),
    );
  });
});
