import { describe, expect, it } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import { conditionalAffinities, jointAffinities, squaredDistances } from './affinities.js';
import { tsne } from './tsne.js';

/** Two Gaussian clusters in d dimensions, centres `sep` apart along every axis. */
const twoClusters = (nPer: number, d: number, sep: number, seed: number) => {
  const rng = Rng.fromSeed(seed);
  const n = 2 * nPer;
  const x = new Float64Array(n * d);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const lab = i < nPer ? 0 : 1;
    labels.push(lab);
    for (let k = 0; k < d; k++) x[i * d + k] = lab * sep + rng.normal();
  }
  return { x, n, labels };
};

const nearestNeighbourAgreement = (y: Float64Array, labels: number[]): number => {
  const n = labels.length;
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = -1,
      bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dd = (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2;
      if (dd < bestD) {
        bestD = dd;
        best = j;
      }
    }
    if (labels[best] === labels[i]) agree++;
  }
  return agree / n;
};

describe('t-SNE affinities', () => {
  it('each conditional row has entropy log(perplexity)', () => {
    const { x, n } = twoClusters(40, 10, 4, 7);
    for (const perplexity of [5, 15, 30]) {
      const { p, entropy } = conditionalAffinities(squaredDistances(x, n, 10), n, perplexity);
      for (let i = 0; i < n; i++) {
        // Recompute the entropy from the row itself rather than trusting the solver's value.
        let h = 0,
          sum = 0;
        for (let j = 0; j < n; j++) {
          const v = p[i * n + j];
          sum += v;
          if (v > 0) h -= v * Math.log(v);
        }
        expect(sum).toBeCloseTo(1, 10);
        expect(p[i * n + i]).toBe(0);
        expect(Math.abs(h - Math.log(perplexity))).toBeLessThan(1e-4);
        expect(Math.abs(entropy[i] - Math.log(perplexity))).toBeLessThan(1e-4);
      }
    }
  });

  it('the joint P is symmetric and sums to 1', () => {
    const { x, n } = twoClusters(20, 5, 3, 1);
    const P = jointAffinities(conditionalAffinities(squaredDistances(x, n, 5), n, 10).p, n);
    let total = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        total += P[i * n + j];
        expect(P[i * n + j]).toBeCloseTo(P[j * n + i], 15);
      }
    expect(total).toBeCloseTo(1, 6);
  });
});

describe('tsne', () => {
  it('keeps two well-separated 10-D clusters apart in 2-D', () => {
    const { x, n, labels } = twoClusters(60, 10, 6, 3);
    const y = tsne(x, n, 10, { seed: 11, perplexity: 20, iterations: 300 });
    expect(y.length).toBe(2 * n);
    expect(y.every(Number.isFinite)).toBe(true);
    expect(nearestNeighbourAgreement(y, labels)).toBeGreaterThan(0.95);
    // and the clusters are far apart relative to their spread
    const centroid = (lab: number) => {
      let cx = 0,
        cy = 0,
        m = 0;
      labels.forEach((l, i) => {
        if (l === lab) {
          cx += y[2 * i];
          cy += y[2 * i + 1];
          m++;
        }
      });
      return [cx / m, cy / m];
    };
    const [a, b] = [centroid(0), centroid(1)];
    const spread = Math.sqrt(
      labels.reduce((s, l, i) => {
        const c = l === 0 ? a : b;
        return s + (y[2 * i] - c[0]) ** 2 + (y[2 * i + 1] - c[1]) ** 2;
      }, 0) / n,
    );
    expect(Math.hypot(a[0] - b[0], a[1] - b[1])).toBeGreaterThan(2 * spread);
  });

  it('is deterministic under a seed and accepts Float32Array', () => {
    const { x, n } = twoClusters(25, 6, 4, 5);
    const f32 = Float32Array.from(x);
    const a = tsne(f32, n, 6, { seed: 42, perplexity: 10, iterations: 120 });
    const b = tsne(f32, n, 6, { seed: 42, perplexity: 10, iterations: 120 });
    const c = tsne(f32, n, 6, { seed: 43, perplexity: 10, iterations: 120 });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('rejects bad shapes and perplexities', () => {
    expect(() => tsne(new Float64Array(6), 3, 3, { seed: 1 })).toThrow(RangeError); // default perplexity (n-1)/3 < 1
    expect(() => tsne(new Float64Array(5), 2, 3, { seed: 1 })).toThrow(RangeError);
    expect(() => tsne(new Float64Array(30), 10, 3, { seed: 1, perplexity: 10 })).toThrow(RangeError);
  });
});
