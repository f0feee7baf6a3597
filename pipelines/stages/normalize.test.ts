import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as T from '../../lib/ops/index.js';
import { grad } from '../../lib/autograd/grad.js';
import { Rng } from '../../lib/rng/rng.js';
import { normalize, rmsNormalize, costTensor } from './normalize.js';
import { solveTransport, targetPlan, type TransportOutput } from './transport.js';
import { DEFAULT_CONFIG } from '../config.js';
import { testEnv } from './testing/env.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';

const backend = useBackend(createCpuBackend());

/** Target k's plan read back, as the host checks below want it. */
const planOf = (tr: TransportOutput, k: number) => ({ n: tr.n, m: tr.sizes[k], plan: targetPlan(tr, k).toArray() });

const rowsRms = (x: Float32Array | Float64Array, d: number) =>
  Array.from({ length: x.length / d }, (_, i) => Math.sqrt(Array.from(x.slice(i * d, (i + 1) * d)).reduce((a, v) => a + v * v, 0) / d));

describe('normalize', () => {
  it('rmsNormalize gives unit-RMS rows (up to eps) and subtracts mu', () => {
    const z = T.tensor([1, 2, 3, 4, 10, 10, 10, 11], [2, 4], { backend });
    const mu = T.tensor([0.5, 10], [2, 1], { backend });
    const out = rmsNormalize(z, mu, 1e-6).toArray();
    rowsRms(out, 4).forEach((r) => expect(r).toBeCloseTo(1, 5));
    expect(out[4]).toBe(out[5]); // (10 - 10) ... equal entries stay equal
  });

  it('a row equal to its shift gives zeros and finite gradients', () => {
    const z = T.tensor([2, 2, 2], [1, 3], { backend: backend, requiresGrad: true });
    const out = rmsNormalize(z, T.tensor([2], [1, 1], { backend }), 1e-6);
    expect(Array.from(out.toArray())).toEqual([0, 0, 0]);
    const [g] = grad(T.sum(out), [z]);
    expect(Array.from(g.toArray()).every(Number.isFinite)).toBe(true);
  });

  it('per-sample shift uses mu_j, scalar uses mu_0 for the whole target; detached by default', () => {
    const d = 3;
    const r = Rng.fromSeed(4);
    const host = Float32Array.from({ length: 8 * d }, () => r.normal());
    const anchor = [0, 1, 2];
    const targets = [
      [3, 4],
      [5, 6, 7],
    ];
    const env = testEnv();
    const z = T.tensor(host, [8, d], { requiresGrad: true });
    const tr = solveTransport({ z, zHost: host, anchor, targets }, DEFAULT_CONFIG.transport);
    if (E.isLeft(tr)) throw new Error('transport');
    const shift = { _tag: 'Transport' as const, anchor, transport: tr.right };
    const per = normalize({ z, targets, shift })(env);
    const scalar = normalize({ z, targets, shift })(testEnv({ shift: 'scalar' }));
    if (E.isLeft(per) || E.isLeft(scalar)) throw new Error('normalize');
    const want = Array.from(tr.right.shift.toArray());
    Array.from(per.right.mu.toArray()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
    const s0 = [want[0], want[0], want[2], want[2], want[2]];
    Array.from(scalar.right.mu.toArray()).forEach((v, i) => expect(v).toBeCloseTo(s0[i], 6));
    expect(per.right.mu.tracksGrad).toBe(false);
    expect(per.right.sizes).toEqual([2, 3]);
  });

  it('differentiable shift: same values as the detached one, gradient flows through C', () => {
    const d = 4;
    const r = Rng.fromSeed(8);
    const host = Float64Array.from({ length: 6 * d }, () => r.normal());
    const anchor = [0, 1, 2];
    const targets = [[3, 4, 5]];
    const env = testEnv({ detachShift: false });
    const z = T.tensor(host, [6, d], { dtype: 'float64', requiresGrad: true });
    const tr = solveTransport({ z, zHost: host, anchor, targets }, DEFAULT_CONFIG.transport);
    if (E.isLeft(tr)) throw new Error('transport');
    const out = normalize({ z, targets, shift: { _tag: 'Transport', anchor, transport: tr.right } })(env);
    if (E.isLeft(out)) throw new Error('normalize');
    Array.from(out.right.mu.toArray()).forEach((v, j) => expect(v).toBeCloseTo(tr.right.shift.toArray()[j], 10));
    const [g] = grad(T.sum(out.right.mu), [z]);
    expect(
      Array.from(g.toArray())
        .slice(0, 3 * d)
        .some((v) => v !== 0),
    ).toBe(true); // anchor rows get gradient through C
  });

  it('costTensor matches lib/ot geometry (cosine in [0, 2], sqeuclidean >= 0)', () => {
    testEnv();
    const x = T.tensor([1, 0, 0, 1, -1, 0], [3, 2]);
    const y = T.tensor([1, 0, 0, 2], [2, 2]);
    expect(Array.from(costTensor('cosine', x, y).toArray()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 1, 1, 0, 2, 1]);
    expect(Array.from(costTensor('sqeuclidean', x, y).toArray())).toEqual([0, 5, 2, 1, 4, 5]);
  });
});

describe('normalize: vector shifts (issue #9)', () => {
  const setup = (relevance: 'mean-dot' | 'norm' = 'mean-dot') => {
    const d = 4;
    const r = Rng.fromSeed(11);
    const host = Float64Array.from({ length: 7 * d }, () => r.normal());
    const anchor = [0, 1, 2];
    const targets = [
      [3, 4],
      [5, 6],
    ];
    const tr = solveTransport(
      { z: T.tensor(host, [host.length / d, d], { dtype: 'float64' }), zHost: host, anchor, targets },
      { ...DEFAULT_CONFIG.transport, relevance },
    );
    if (E.isLeft(tr)) throw new Error('transport');
    return { d, host, anchor, targets, tr: tr.right };
  };
  const row = (x: ArrayLike<number>, d: number, i: number) => Array.from({ length: d }, (_, k) => x[i * d + k]);

  it('vector: z_j - mu_j is the barycentric projection onto the anchor; [M, d]; detached by default', () => {
    const { d, host, anchor, targets, tr } = setup();
    const z = T.tensor(host, [7, d], { dtype: 'float64', requiresGrad: true });
    const out = normalize({ z, targets, shift: { _tag: 'Transport', anchor, transport: tr } })(testEnv({ shift: 'vector', skipRms: true }));
    if (E.isLeft(out)) throw new Error('normalize');
    expect(out.right.mu.shape).toEqual([4, d]);
    expect(out.right.mu.tracksGrad).toBe(false);
    const zt = out.right.zTilde.toArray();
    targets.flat().forEach((_, q) => {
      const k = q < 2 ? 0 : 1;
      const j = q % 2;
      const t = planOf(tr, k);
      const col = Array.from({ length: t.n }, (_, i) => t.plan[i * t.m + j]);
      const s = col.reduce((a, b) => a + b, 0);
      const S = Array.from(t.plan).reduce((a, b) => a + b, 0);
      const disp = (c: number) => {
        let w = 0;
        for (let i = 0; i < t.n; i++)
          for (let jj = 0; jj < t.m; jj++) w += (t.plan[i * t.m + jj] * (host[targets[k][jj] * d + c] - host[anchor[i] * d + c])) / S;
        return w;
      };
      // a column without mass (zero relevance weight) falls back to the identity-level displacement
      const want = Array.from({ length: d }, (_, c) =>
        s > 1e-30 ? col.reduce((a, x, i) => a + (x * host[anchor[i] * d + c]) / s, 0) : host[targets[k][j] * d + c] - disp(c),
      );
      row(zt, d, q).forEach((v, c) => expect(v).toBeCloseTo(want[c], 10));
    });
  });

  it('identity-vector: one displacement per target; within-target differences are kept', () => {
    const { d, host, anchor, targets, tr } = setup();
    const z = T.tensor(host, [7, d], { dtype: 'float64' });
    const out = normalize({ z, targets, shift: { _tag: 'Transport', anchor, transport: tr } })(testEnv({ shift: 'identity-vector', skipRms: true }));
    if (E.isLeft(out)) throw new Error('normalize');
    const mu = out.right.mu.toArray();
    expect(row(mu, d, 0)).toEqual(row(mu, d, 1));
    const zt = out.right.zTilde.toArray();
    // z~_3 - z~_4 = z_3 - z_4
    row(zt, d, 0).forEach((v, c) => expect(v - zt[d + c]).toBeCloseTo(host[3 * d + c] - host[4 * d + c], 10));
    // mu = sum_ij X_ij (z_j - z_i) / sum X
    const t = planOf(tr, 0);
    const S = Array.from(t.plan).reduce((a, b) => a + b, 0);
    for (let c = 0; c < d; c++) {
      let want = 0;
      for (let i = 0; i < t.n; i++) for (let j = 0; j < t.m; j++) want += (t.plan[i * t.m + j] * (host[targets[0][j] * d + c] - host[anchor[i] * d + c])) / S;
      expect(mu[c]).toBeCloseTo(want, 10);
    }
  });

  it('strength scales the vector shift; 0 leaves z (then RMS) unchanged', () => {
    const { d, host, anchor, targets, tr } = setup();
    const z = T.tensor(host, [7, d], { dtype: 'float64' });
    const run = (shiftStrength: number) => {
      const o = normalize({ z, targets, shift: { _tag: 'Transport', anchor, transport: tr } })(testEnv({ shift: 'vector', shiftStrength, skipRms: true }));
      if (E.isLeft(o)) throw new Error('normalize');
      return o.right;
    };
    const full = run(1).mu.toArray();
    Array.from(run(0.5).mu.toArray()).forEach((v, i) => expect(v).toBeCloseTo(full[i] / 2, 10));
    Array.from(run(0).zTilde.toArray()).forEach((v, i) => expect(v).toBeCloseTo(host[targets.flat()[Math.floor(i / d)] * d + (i % d)], 10));
  });

  it('differentiable vector shift: at strength 1 the gradient reaches the anchor rows only', () => {
    const { d, host, anchor, targets, tr } = setup('norm'); // every column has mass
    const z = T.tensor(host, [7, d], { dtype: 'float64', requiresGrad: true });
    const out = normalize({ z, targets, shift: { _tag: 'Transport', anchor, transport: tr } })(testEnv({ shift: 'vector', detachShift: false, skipRms: true }));
    if (E.isLeft(out)) throw new Error('normalize');
    expect(out.right.mu.tracksGrad).toBe(true);
    const [g] = grad(T.sum(T.square(out.right.zTilde)), [z]);
    const ga = Array.from(g.toArray());
    expect(ga.slice(0, 3 * d).some((v) => v !== 0)).toBe(true);
    ga.slice(3 * d).forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-12));
  });
});
