/** Typed input errors of the metrics and losses (and of their JSON interop): each names its field. */
export type MetricsError =
  | { readonly _tag: 'EmptyInput'; readonly field: string; readonly message: string }
  | { readonly _tag: 'LengthMismatch'; readonly field: string; readonly expected: number; readonly got: number; readonly message: string }
  | { readonly _tag: 'NonFinite'; readonly field: string; readonly index: number; readonly message: string }
  | { readonly _tag: 'BadParameter'; readonly field: string; readonly message: string };

export const emptyInput = (field: string): MetricsError => ({ _tag: 'EmptyInput', field, message: `${field} is empty` });
export const lengthMismatch = (field: string, expected: number, got: number): MetricsError => ({
  _tag: 'LengthMismatch',
  field,
  expected,
  got,
  message: `${field} has length ${got}, expected ${expected}`,
});
export const nonFiniteValue = (field: string, index: number, value: unknown): MetricsError => ({
  _tag: 'NonFinite',
  field,
  index,
  message: `${field}[${index}] is ${String(value)}, must be a finite number`,
});
export const badMetricParameter = (field: string, message: string): MetricsError => ({ _tag: 'BadParameter', field, message: `${field}: ${message}` });
