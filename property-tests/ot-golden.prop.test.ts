/**
 * Golden numbers from independent implementations (scripts/golden/make_ot_golden.py, run with
 * /usr/bin/python3; CI only reads the JSON): NumPy Alg. 1 at T = 5 (with and without the
 * release guard), POT's ot.sinkhorn at convergence, POT's exact ot.emd2 cost, NumPy metrics,
 * PyTorch autograd of the baseline loss.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { columnCosts, costMatrix, exactOt, makeProblem, relevanceWeights, sinkhorn } from '../lib/ot/index.js';
import { ccc, pcc, rmse, sagr } from '../lib/metrics/metrics.js';
import { runLossJson } from '../lib/metrics/interop.js';
import { vaLossReference } from '../lib/losses/reference.js';
import { close, right } from './arbitraries.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../test/fixtures/golden/${name}`, import.meta.url), 'utf8'));

interface OtCase {
  n: number;
  m: number;
  d: number;
  x: number[];
  y: number[];
  relevance: 'mean-dot' | 'norm';
  metric: 'cosine' | 'sqeuclidean';
  cost: number[];
  a: number[];
  b: number[];
  lam: number;
  alg1_guard: { u: number[]; v: number[]; plan: number[]; transportCost: number; shift: number[] };
  alg1_noguard: { u: number[]; v: number[]; plan: number[]; transportCost: number; shift: number[] };
  pot_plan: number[];
  pot_cost: number;
  emd_cost: number;
}

const ot = load('ot.json') as { problems: OtCase[] };

describe('golden: OT against NumPy Alg. 1 and POT', () => {
  it.each(ot.problems.map((c, k) => [k, c] as const))('problem %i', (_k, c) => {
    const x = { data: c.x, rows: c.n, dim: c.d };
    const y = { data: c.y, rows: c.m, dim: c.d };
    expect(close(right(costMatrix(c.metric, x, y)), c.cost, 1e-12, 1e-14)).toBe(true);
    const w = right(relevanceWeights(x, y, c.relevance));
    expect(close(w.a, c.a, 1e-12)).toBe(true);
    const p = right(makeProblem({ cost: c.cost, n: c.n, m: c.m, a: c.a, b: w.b }));
    expect(close(p.b, c.b, 1e-12)).toBe(true);
    for (const [guard, ref] of [
      [1e-6, c.alg1_guard],
      [0, c.alg1_noguard],
    ] as const) {
      const o = right(sinkhorn(p, { lambda: c.lam, iterations: 5, guard }));
      expect(close(o.u, ref.u, 1e-12)).toBe(true);
      expect(close(o.v, ref.v, 1e-12)).toBe(true);
      expect(close(o.plan, ref.plan, 1e-12)).toBe(true);
      expect(close(columnCosts(p, o.plan), ref.shift, 1e-12)).toBe(true); // ELIM's shift mu_j
      expect(o.transportCost).toBeCloseTo(ref.transportCost, 12);
    }
    for (const mode of ['scaling', 'log'] as const) {
      const o = right(sinkhorn(p, { lambda: c.lam, iterations: 100000, tolerance: 1e-14, guard: 0, mode }));
      expect(close(o.plan, c.pot_plan, 1e-8)).toBe(true);
      expect(Math.abs(o.transportCost - c.pot_cost)).toBeLessThan(1e-8);
    }
    expect(Math.abs(right(exactOt(p)).cost - c.emd_cost)).toBeLessThan(1e-9);
  });
});

describe('golden: metrics against NumPy', () => {
  const m = load('metrics.json') as { cases: { yTrue: number[][]; yPred: number[][]; valence: Record<string, number>; arousal: Record<string, number> }[] };
  it.each(m.cases.map((c, k) => [k, c] as const))('case %i', (_k, c) => {
    for (const [axis, k] of [
      ['valence', 0],
      ['arousal', 1],
    ] as const) {
      const y = c.yTrue.map((r) => r[k]);
      const p = c.yPred.map((r) => r[k]);
      const ref = c[axis];
      expect(rmse(y, p)).toBeCloseTo(ref.rmse, 12);
      expect(pcc(y, p)).toBeCloseTo(ref.pcc, 12);
      expect(ccc(y, p)).toBeCloseTo(ref.ccc, 12);
      expect(sagr(y, p, 'sign')).toBe(ref.sagr_sign);
      expect(sagr(y, p, 'release')).toBe(ref.sagr_release);
    }
  });
});

describe('golden: loss against PyTorch autograd (float64)', () => {
  const l = load('loss.json') as {
    cases: { labels: number[][]; scores: number[][]; std: 'population' | 'unbiased'; expected: Record<string, number> & { grad: number[][] } }[];
  };
  it.each(l.cases.map((c, k) => [k, c] as const))('case %i', (_k, c) => {
    const r = vaLossReference(c.scores.flat(), c.labels.flat(), { std: c.std });
    for (const key of ['total', 'mseValence', 'mseArousal', 'pccLoss', 'cccLoss'] as const) expect(r[key]).toBeCloseTo(c.expected[key], 12);
    expect(close(r.grad, c.expected.grad.flat(), 1e-9, 1e-13)).toBe(true);
    const j = right(runLossJson({ labels: c.labels, scores: c.scores, std: c.std })) as { total: number; grad: number[][] };
    expect(j.total).toBeCloseTo(c.expected.total, 12);
    expect(close(j.grad.flat(), c.expected.grad.flat(), 1e-9, 1e-13)).toBe(true);
  });
});
