/** What the reference kernels' tests share: a seeded RNG, random arrays and shapes, index helpers, a tolerance check. */
import { expect } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import { stridesOf, type Shape } from '../../../lib/tensor/shape.js';

export const rng = Rng.fromSeed(2024);
export const rnd = (n: number, lo = -1, hi = 1) => {
  const a = new Float64Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
};
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
export const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i] - want[i]), `at ${i}: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i])));
};
/** Random shape of `rank` dims in [1, maxDim] (size-1 dims are common). */
export const randShape = (rank: number, maxDim = 4): number[] => Array.from({ length: rank }, () => 1 + rng.int(maxDim));
export const at = (shape: Shape, idx: number[]) => idx.reduce((o, v, i) => o + v * stridesOf(shape)[i], 0);
export const indices = (shape: Shape): number[][] => {
  const out: number[][] = [];
  const rec = (pre: number[]): void => {
    if (pre.length === shape.length) out.push(pre);
    else for (let i = 0; i < shape[pre.length]; i++) rec([...pre, i]);
  };
  rec([]);
  return out;
};
