/**
 * Cost geometry on plain arrays: the n x m cost between two point sets (rows of x and y, each
 * of dimension d). ELIM's default is the cosine distance 1 - cos in [0, 2]; squared Euclidean
 * is the option. A zero vector has no direction: its cosine is taken as 0 (cost 1) through an
 * eps on the norms rather than a NaN. Tensor versions (differentiable, any backend) live in
 * cost-tensor.ts.
 */
import * as E from 'fp-ts/lib/Either.js';
import { badParameter, emptySet, nonFinite, shapeMismatch, type OtError } from './errors.js';

export type CostKind = 'cosine' | 'sqeuclidean';

/** `rows` points of dimension `dim`, row-major. */
export interface Points {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly dim: number;
}

export const NORM_EPS = 1e-8;

const rowNorms = (x: Points) => {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let k = 0; k < x.dim; k++) s += x.data[i * x.dim + k] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
};

const dot = (x: Points, i: number, y: Points, j: number) => {
  let s = 0;
  for (let k = 0; k < x.dim; k++) s += x.data[i * x.dim + k] * y.data[j * y.dim + k];
  return s;
};

/** C_ij = 1 - <x_i, y_j> / (max(|x_i|, eps) max(|y_j|, eps)), clamped to [0, 2] against rounding. */
export const cosineCost = (x: Points, y: Points, eps = NORM_EPS): Float64Array => {
  const nx = rowNorms(x);
  const ny = rowNorms(y);
  const c = new Float64Array(x.rows * y.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < y.rows; j++) {
      const cos = dot(x, i, y, j) / (Math.max(nx[i], eps) * Math.max(ny[j], eps));
      c[i * y.rows + j] = Math.min(2, Math.max(0, 1 - cos));
    }
  }
  return c;
};

/** C_ij = |x_i - y_j|^2. */
export const sqEuclideanCost = (x: Points, y: Points): Float64Array => {
  const c = new Float64Array(x.rows * y.rows);
  for (let i = 0; i < x.rows; i++) {
    for (let j = 0; j < y.rows; j++) {
      let s = 0;
      for (let k = 0; k < x.dim; k++) s += (x.data[i * x.dim + k] - y.data[j * y.dim + k]) ** 2;
      c[i * y.rows + j] = s;
    }
  }
  return c;
};

export const checkPoints = (field: string, p: Points): E.Either<OtError, Points> => {
  if (!Number.isInteger(p.rows) || p.rows < 1) return E.left(emptySet(field));
  if (!Number.isInteger(p.dim) || p.dim < 1) return E.left(badParameter(`${field}.dim`, `must be an integer >= 1, got ${p.dim}`));
  if (p.data.length !== p.rows * p.dim) return E.left(shapeMismatch(field, p.rows * p.dim, p.data.length));
  for (let k = 0; k < p.data.length; k++) if (!Number.isFinite(p.data[k])) return E.left(nonFinite(field, k, p.data[k]));
  return E.right(p);
};

/** Validated cost matrix between x and y. */
export const costMatrix = (kind: CostKind, x: Points, y: Points): E.Either<OtError, Float64Array> => {
  const xs = checkPoints('x', x);
  if (E.isLeft(xs)) return xs;
  const ys = checkPoints('y', y);
  if (E.isLeft(ys)) return ys;
  if (x.dim !== y.dim) return E.left(shapeMismatch('y.dim', x.dim, y.dim));
  if (kind === 'cosine') return E.right(cosineCost(x, y));
  if (kind === 'sqeuclidean') return E.right(sqEuclideanCost(x, y));
  return E.left(badParameter('metric', `unknown cost '${String(kind)}' (cosine | sqeuclidean)`));
};
