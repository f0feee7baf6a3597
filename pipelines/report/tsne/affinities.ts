/**
 * The input side of t-SNE: Gaussian conditional affinities p(j|i) whose per-row entropy
 * matches log(perplexity), found by bisection on the precision beta_i = 1 / (2 sigma_i^2),
 * then symmetrised into the joint P = (P + P^T) / (2n).
 */

/** Squared Euclidean distances between the n rows of x (n x d, row-major), as an n x n matrix. */
export const squaredDistances = (x: ArrayLike<number>, n: number, d: number): Float64Array => {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = x[i * d + k] - x[j * d + k];
        s += diff * diff;
      }
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
};

export interface ConditionalAffinities {
  /** Row i holds p(j|i); the diagonal is 0 and each row sums to 1. */
  readonly p: Float64Array;
  readonly beta: Float64Array;
  /** Natural-log entropy of each row, to compare with log(perplexity). */
  readonly entropy: Float64Array;
}

const TOL = 1e-5;
const MAX_STEPS = 100;

export const conditionalAffinities = (dist2: Float64Array, n: number, perplexity: number): ConditionalAffinities => {
  const target = Math.log(perplexity);
  const p = new Float64Array(n * n);
  const beta = new Float64Array(n);
  const entropy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = dist2.subarray(i * n, (i + 1) * n);
    // Shift distances by the row's nearest neighbour so exp() never underflows to an all-zero row.
    let dmin = Infinity;
    for (let j = 0; j < n; j++) if (j !== i && row[j] < dmin) dmin = row[j];
    let b = 1,
      lo = 0,
      hi = Infinity,
      h = 0;
    for (let step = 0; step < MAX_STEPS; step++) {
      h = rowEntropy(row, i, n, b, dmin, p.subarray(i * n, (i + 1) * n));
      if (Math.abs(h - target) < TOL) break;
      // Entropy falls as beta grows: too much entropy means beta is too small.
      if (h > target) {
        lo = b;
        b = hi === Infinity ? b * 2 : (b + hi) / 2;
      } else {
        hi = b;
        b = (b + lo) / 2;
      }
    }
    beta[i] = b;
    entropy[i] = h;
  }
  return { p, beta, entropy };
};

/** Fills `out` with the normalised row exp(-beta (d_ij - dmin)) and returns its entropy. */
const rowEntropy = (row: Float64Array, i: number, n: number, beta: number, dmin: number, out: Float64Array): number => {
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const v = j === i ? 0 : Math.exp(-beta * (row[j] - dmin));
    out[j] = v;
    sum += v;
  }
  // H = log(sum) + beta * E[d - dmin], in nats.
  let weighted = 0;
  for (let j = 0; j < n; j++) {
    out[j] /= sum;
    if (j !== i) weighted += out[j] * (row[j] - dmin);
  }
  return Math.log(sum) + beta * weighted;
};

/** Joint affinities P = (P_cond + P_cond^T) / (2n), floored at 1e-12 off the diagonal. */
export const jointAffinities = (pc: Float64Array, n: number): Float64Array => {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      out[i * n + j] = Math.max((pc[i * n + j] + pc[j * n + i]) / (2 * n), 1e-12);
    }
  }
  return out;
};
