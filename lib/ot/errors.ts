/**
 * Typed errors of the optimal-transport module. Every rejection names the field at fault, so
 * a caller (the ELIM transport stage, the CLI) can report it without parsing messages. Pure
 * math here returns `Either<OtError, _>`; nothing is thrown on purpose.
 */
export type OtError =
  | { readonly _tag: 'EmptySet'; readonly field: string; readonly message: string }
  | { readonly _tag: 'ShapeMismatch'; readonly field: string; readonly expected: number; readonly got: number; readonly message: string }
  | { readonly _tag: 'NonFinite'; readonly field: string; readonly index: number; readonly message: string }
  | { readonly _tag: 'NegativeWeight'; readonly field: string; readonly index: number; readonly message: string }
  | { readonly _tag: 'ZeroMass'; readonly field: string; readonly message: string }
  | { readonly _tag: 'BadParameter'; readonly field: string; readonly message: string }
  /** A run produced NaN/Inf where a finite value is required (scaling form under/overflow, ...). */
  | { readonly _tag: 'Diverged'; readonly field: string; readonly iteration: number; readonly problem: number; readonly message: string };

export const emptySet = (field: string): OtError => ({ _tag: 'EmptySet', field, message: `${field} is empty` });
export const shapeMismatch = (field: string, expected: number, got: number): OtError => ({
  _tag: 'ShapeMismatch',
  field,
  expected,
  got,
  message: `${field} has ${got} entries, expected ${expected}`,
});
export const nonFinite = (field: string, index: number, value: number): OtError => ({
  _tag: 'NonFinite',
  field,
  index,
  message: `${field}[${index}] is ${value}, must be finite`,
});
export const negativeWeight = (field: string, index: number, value: number): OtError => ({
  _tag: 'NegativeWeight',
  field,
  index,
  message: `${field}[${index}] is ${value}, weights must be >= 0`,
});
export const zeroMass = (field: string): OtError => ({ _tag: 'ZeroMass', field, message: `${field} has zero total mass` });
export const badParameter = (field: string, message: string): OtError => ({ _tag: 'BadParameter', field, message: `${field}: ${message}` });
export const diverged = (field: string, iteration: number, problem = 0): OtError => ({
  _tag: 'Diverged',
  field,
  iteration,
  problem,
  message: `${field} became non-finite at iteration ${iteration}${problem ? ` (problem ${problem})` : ''}: the scaling form under/overflowed; use mode 'log' or a smaller lambda`,
});

/** First non-finite entry, or -1. */
export const firstNonFinite = (xs: ArrayLike<number>): number => {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return i;
  return -1;
};
