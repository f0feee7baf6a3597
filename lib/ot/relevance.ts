/**
 * Relevance weights (ELIM Eq. 2 / the release's `relevance_weighting`), each side rescaled to
 * sum to its own length:
 *   'mean-dot' (release parser default, relevance_weighting = 1): a_i = relu(x_i . mean(y)),
 *              b_j = relu(y_j . mean(x));
 *   'norm'     (relevance_weighting = 0): a_i = |x_i|_2, b_j = |y_j|_2.
 * Default normalisation is exact, and `makeProblem` then rescales b to a's mass when n != m.
 * `releaseGuard: true` reproduces the release: a's normaliser gets + 1e-6 and b's does not, so
 * the masses differ by ~1e-6 (pass `rescaleB: false` to makeProblem to keep that mismatch).
 */
import * as E from 'fp-ts/lib/Either.js';
import { badParameter, zeroMass, type OtError } from './errors.js';
import { checkPoints, type Points } from './cost.js';

export type RelevanceMode = 'mean-dot' | 'norm';

export interface RelevanceOptions {
  readonly releaseGuard?: boolean;
}

export const RELEASE_MASS_GUARD = 1e-6;

const meanRow = (x: Points) => {
  const mu = new Float64Array(x.dim);
  for (let i = 0; i < x.rows; i++) for (let k = 0; k < x.dim; k++) mu[k] += x.data[i * x.dim + k] / x.rows;
  return mu;
};

const raw = (x: Points, other: Points, mode: RelevanceMode): Float64Array => {
  const w = new Float64Array(x.rows);
  const mu = mode === 'mean-dot' ? meanRow(other) : null;
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < x.dim; k++) {
      const xv = x.data[i * x.dim + k];
      s += mu ? xv * mu[k] : xv * xv;
    }
    w[i] = mu ? Math.max(0, s) : Math.sqrt(s);
  }
  return w;
};

const normalise = (field: string, w: Float64Array, guard: number): E.Either<OtError, Float64Array> => {
  let s = 0;
  for (const x of w) s += x;
  if (!(s > 0)) return E.left(zeroMass(field));
  const k = w.length / (s + guard);
  return E.right(w.map((x) => x * k));
};

export const relevanceWeights = (
  x: Points,
  y: Points,
  mode: RelevanceMode,
  o: RelevanceOptions = {},
): E.Either<OtError, { a: Float64Array; b: Float64Array }> => {
  if (mode !== 'mean-dot' && mode !== 'norm') return E.left(badParameter('relevance', `unknown mode '${String(mode)}' (mean-dot | norm)`));
  const xs = checkPoints('x', x);
  if (E.isLeft(xs)) return xs;
  const ys = checkPoints('y', y);
  if (E.isLeft(ys)) return ys;
  if (x.dim !== y.dim) return E.left(badParameter('y.dim', `${y.dim} differs from x.dim ${x.dim}`));
  const a = normalise('a', raw(x, y, mode), o.releaseGuard ? RELEASE_MASS_GUARD : 0);
  if (E.isLeft(a)) return a;
  const b = normalise('b', raw(y, x, mode), 0);
  if (E.isLeft(b)) return b;
  return E.right({ a: a.right, b: b.right });
};
