/**
 * How conformance compares a backend's output with the reference: |got - want| <= tolerance *
 * (1 + |want|) elementwise, NaN must meet NaN, equal infinities pass.
 */
import { expect } from 'vitest';

/** The largest scaled error between got and want, with the index where it occurs (NaN must meet NaN). */
export const worstError = (got: ArrayLike<number>, want: ArrayLike<number>): { err: number; at: number } => {
  if (got.length !== want.length) return { err: Infinity, at: -1 };
  let worst = { err: 0, at: -1 };
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return { err: Infinity, at: i };
      continue;
    }
    if (g === w) continue; // equal infinities
    const e = Math.abs(g - w) / (1 + Math.abs(w));
    if (!(e <= worst.err)) worst = { err: e, at: i };
  }
  return worst;
};

export const expectClose = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, label = ''): void => {
  const { err, at } = worstError(got, want);
  const detail = at < 0 ? `lengths ${got.length} vs ${want.length}` : `at ${at}: got ${got[at]}, want ${want[at]}`;
  expect(err, `${label} worst scaled error ${err} ${detail}`).toBeLessThanOrEqual(tol);
};
