/**
 * Exact t-SNE (van der Maaten and Hinton, 2008) to 2-D: O(n^2) per iteration, fine for the
 * n <= ~1000 embeddings the reports draw. Gradient descent with momentum (0.5, then 0.8 after
 * the exaggeration phase) and per-coordinate adaptive gains, as in the reference
 * implementation. The start is drawn from the given seed through `Rng`, so a seed fixes
 * the result.
 */
import { Rng } from '../../../lib/rng/rng.js';
import { conditionalAffinities, jointAffinities, squaredDistances } from './affinities.js';

export interface TsneOptions {
  readonly perplexity?: number;
  readonly iterations?: number;
  readonly seed: number;
  readonly learningRate?: number;
  readonly earlyExaggeration?: number;
  /** Iterations under exaggeration; default min(250, iterations / 4). */
  readonly exaggerationIterations?: number;
}

const MIN_GAIN = 0.01;

/** Embeds the n rows of x (n x d, row-major) into 2-D; returns n x 2 row-major. */
export const tsne = (x: Float64Array | Float32Array, n: number, d: number, opts: TsneOptions): Float64Array => {
  if (!(Number.isInteger(n) && Number.isInteger(d) && n >= 2 && d >= 1)) throw new RangeError(`tsne: need n >= 2 and d >= 1, got n=${n}, d=${d}`);
  if (x.length !== n * d) throw new RangeError(`tsne: x has ${x.length} values, expected n*d = ${n * d}`);
  const perplexity = opts.perplexity ?? Math.min(30, (n - 1) / 3);
  if (!(perplexity > 1 && perplexity < n)) throw new RangeError(`tsne: perplexity must lie in (1, n=${n}), got ${perplexity}`);
  const iterations = opts.iterations ?? 1000;
  const lr = opts.learningRate ?? 200;
  const exag = opts.earlyExaggeration ?? 12;
  const exagIters = opts.exaggerationIterations ?? Math.min(250, Math.floor(iterations / 4));

  const P = jointAffinities(conditionalAffinities(squaredDistances(x, n, d), n, perplexity).p, n);
  const rng = Rng.fromSeed(opts.seed);
  const y = new Float64Array(n * 2);
  rng.fillNormal(y, 0, 1e-4);
  const update = new Float64Array(n * 2);
  const gains = new Float64Array(n * 2).fill(1);
  const grad = new Float64Array(n * 2);
  const num = new Float64Array(n * n);

  for (let it = 0; it < iterations; it++) {
    const pScale = it < exagIters ? exag : 1;
    const momentum = it < exagIters ? 0.5 : 0.8;
    // Student-t kernel: num_ij = 1 / (1 + |y_i - y_j|^2); Q = num / sum(num). Upper triangle only.
    let sumNum = 0;
    for (let i = 0; i < n; i++) {
      const yi0 = y[2 * i],
        yi1 = y[2 * i + 1];
      for (let j = i + 1; j < n; j++) {
        const dx = yi0 - y[2 * j],
          dy = yi1 - y[2 * j + 1];
        const v = 1 / (1 + dx * dx + dy * dy);
        num[i * n + j] = v;
        sumNum += 2 * v;
      }
    }
    // dC/dy_i = 4 sum_j (p_ij - q_ij) num_ij (y_i - y_j); each pair's term is antisymmetric, so visit it once.
    grad.fill(0);
    const invSum = 1 / sumNum;
    for (let i = 0; i < n; i++) {
      const yi0 = y[2 * i],
        yi1 = y[2 * i + 1];
      let gx = 0,
        gy = 0;
      for (let j = i + 1; j < n; j++) {
        const v = num[i * n + j];
        const m = 4 * (pScale * P[i * n + j] - v * invSum) * v;
        const fx = m * (yi0 - y[2 * j]),
          fy = m * (yi1 - y[2 * j + 1]);
        gx += fx;
        gy += fy;
        grad[2 * j] -= fx;
        grad[2 * j + 1] -= fy;
      }
      grad[2 * i] += gx;
      grad[2 * i + 1] += gy;
    }
    // Gains grow where the gradient keeps pushing against the last update, shrink where it agrees.
    for (let k = 0; k < 2 * n; k++) {
      gains[k] = grad[k] > 0 !== update[k] > 0 ? gains[k] + 0.2 : Math.max(MIN_GAIN, gains[k] * 0.8);
      update[k] = momentum * update[k] - lr * gains[k] * grad[k];
      y[k] += update[k];
    }
    centre(y, n);
  }
  return y;
};

const centre = (y: Float64Array, n: number): void => {
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += y[2 * i];
    my += y[2 * i + 1];
  }
  mx /= n;
  my /= n;
  for (let i = 0; i < n; i++) {
    y[2 * i] -= mx;
    y[2 * i + 1] -= my;
  }
};
