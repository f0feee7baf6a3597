/**
 * JSON interop for `elim ot` (pure: the CLI reads stdin and prints). Input: one problem or a list
 *   {cost: number[][], a?: number[], b?: number[], lambda? | eta?, iterations?, tolerance?,
 *    guard?, mode?: 'scaling' | 'log', dtype?: 'float32' | 'float64'}
 * (a, b default to ones; lambda defaults to the release's 5; iterations to 5; tolerance to 0).
 * Output per problem: {plan, u, v, f, g, iterations, converged, marginalError, transportCost,
 * shift (ELIM's mu_j = sum_i X_ij C_ij: output.ts columnCosts), errorTrace}; u and v entries that over/underflow in log mode become null (JSON has no
 * Infinity), the potentials f, g stay finite. Malformed input gives an error naming the field.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { OtError } from './errors.js';
import { makeProblem, type OtDType, type OtProblem } from './problem.js';
import { sinkhorn } from './solve.js';
import { columnCosts, type SinkhornOutput } from './output.js';

export interface InteropError {
  readonly _tag: 'InteropError';
  readonly field: string;
  readonly message: string;
}

export const interopError = (field: string, message: string): InteropError => ({ _tag: 'InteropError', field, message: `${field}: ${message}` });
const fromOt = (prefix: string, e: OtError): InteropError => interopError(prefix + e.field, e.message);

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export const numberArray = (field: string, x: unknown): E.Either<InteropError, number[]> => {
  if (!Array.isArray(x)) return E.left(interopError(field, 'must be an array of numbers'));
  for (let i = 0; i < x.length; i++)
    if (typeof x[i] !== 'number' || !Number.isFinite(x[i]))
      return E.left(interopError(`${field}[${i}]`, `must be a finite number, got ${JSON.stringify(x[i])}`));
  return E.right(x as number[]);
};

const matrix = (field: string, x: unknown): E.Either<InteropError, { data: number[]; n: number; m: number }> => {
  if (!Array.isArray(x) || x.length === 0) return E.left(interopError(field, 'must be a non-empty array of rows'));
  const data: number[] = [];
  let m = -1;
  for (let i = 0; i < x.length; i++) {
    const row = numberArray(`${field}[${i}]`, x[i]);
    if (E.isLeft(row)) return row;
    if (m < 0) m = row.right.length;
    if (row.right.length !== m || m === 0)
      return E.left(interopError(`${field}[${i}]`, `has ${row.right.length} entries, expected ${m > 0 ? m : 'at least 1'}`));
    data.push(...row.right);
  }
  return E.right({ data, n: x.length, m });
};

const optNumber = (field: string, x: unknown): E.Either<InteropError, number | undefined> =>
  x === undefined ? E.right(undefined) : typeof x === 'number' ? E.right(x) : E.left(interopError(field, `must be a number, got ${JSON.stringify(x)}`));

const oneOf = <A extends string>(field: string, x: unknown, allowed: readonly A[]): E.Either<InteropError, A | undefined> =>
  x === undefined || allowed.includes(x as A)
    ? E.right(x as A | undefined)
    : E.left(interopError(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(x)}`));

const rows = (x: ArrayLike<number>, n: number, m: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => x[i * m + j]));
const finiteOrNull = (x: ArrayLike<number>) => Array.from(x, (v) => (Number.isFinite(v) ? v : null));

export const outputToJson = (o: SinkhornOutput, p: OtProblem) => ({
  mode: o.mode,
  lambda: o.lambda,
  plan: rows(o.plan, o.n, o.m),
  u: finiteOrNull(o.u),
  v: finiteOrNull(o.v),
  f: finiteOrNull(o.f),
  g: finiteOrNull(o.g),
  iterations: o.iterations,
  converged: o.converged,
  marginalError: o.marginalError,
  transportCost: o.transportCost,
  shift: Array.from(columnCosts(p, o.plan)),
  errorTrace: o.errorTrace,
});

const runOne = (prefix: string, input: unknown): E.Either<InteropError, unknown> => {
  if (!isRecord(input)) return E.left(interopError(prefix || 'input', 'must be an object {cost, a, b, lambda | eta, ...}'));
  const f = (name: string) => `${prefix}${name}`;
  const cost = matrix(f('cost'), input.cost);
  if (E.isLeft(cost)) return cost;
  const a = input.a === undefined ? E.right(undefined) : numberArray(f('a'), input.a);
  if (E.isLeft(a)) return a;
  const b = input.b === undefined ? E.right(undefined) : numberArray(f('b'), input.b);
  if (E.isLeft(b)) return b;
  const nums = {
    lambda: optNumber(f('lambda'), input.lambda),
    eta: optNumber(f('eta'), input.eta),
    iterations: optNumber(f('iterations'), input.iterations),
    tolerance: optNumber(f('tolerance'), input.tolerance),
    guard: optNumber(f('guard'), input.guard),
  };
  for (const v of Object.values(nums)) if (E.isLeft(v)) return v;
  const get = (k: keyof typeof nums) => (nums[k] as E.Right<number | undefined>).right;
  const mode = oneOf(f('mode'), input.mode, ['scaling', 'log'] as const);
  if (E.isLeft(mode)) return mode;
  const dtype = oneOf<OtDType>(f('dtype'), input.dtype, ['float32', 'float64']);
  if (E.isLeft(dtype)) return dtype;
  const problem = makeProblem({ cost: cost.right.data, n: cost.right.n, m: cost.right.m, a: a.right, b: b.right, dtype: dtype.right });
  if (E.isLeft(problem)) return E.left(fromOt(prefix, problem.left));
  const out = sinkhorn(problem.right, {
    mode: mode.right,
    lambda: get('lambda'),
    eta: get('eta'),
    iterations: get('iterations'),
    tolerance: get('tolerance'),
    guard: get('guard'),
  });
  return E.isLeft(out) ? E.left(fromOt(prefix, out.left)) : E.right(outputToJson(out.right, problem.right));
};

/** One problem object -> one result; a list -> a list (the first failure names its index). */
export const runOtJson = (input: unknown): E.Either<InteropError, unknown> => {
  if (!Array.isArray(input)) return runOne('', input);
  if (input.length === 0) return E.left(interopError('input', 'empty list of problems'));
  const outs: unknown[] = [];
  for (let k = 0; k < input.length; k++) {
    const r = runOne(`[${k}].`, input[k]);
    if (E.isLeft(r)) return r;
    outs.push(r.right);
  }
  return E.right(outs);
};
