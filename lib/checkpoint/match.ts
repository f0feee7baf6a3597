/** Compares what a file holds with what a model expects, collecting every difference. */
import type { DType } from '../tensor/dtype.js';
import type { Mismatch, TensorInfo } from './errors.js';
import type { DecodedTensor, SafeDType } from './safetensors.js';

export interface Expected {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

const FILE_DTYPE: Record<DType, SafeDType> = { float32: 'F32', float64: 'F64' };

const infoOf = (e: Expected): TensorInfo => ({ shape: e.shape, dtype: FILE_DTYPE[e.dtype] });

/**
 * Every mismatch between `found` and `expected`, by name. `strictDType` false accepts any
 * floating dtype (imports convert); integer data for a float tensor is always reported.
 */
export const mismatches = (
  expected: ReadonlyMap<string, Expected>,
  found: ReadonlyMap<string, DecodedTensor>,
  o: { readonly strictDType?: boolean; readonly ignoreUnexpected?: (name: string) => boolean } = {},
): Mismatch[] => {
  const out: Mismatch[] = [];
  for (const [name, e] of expected) {
    const f = found.get(name);
    if (!f) {
      out.push({ _tag: 'Missing', name, expected: infoOf(e) });
      continue;
    }
    const fi: TensorInfo = { shape: f.shape, dtype: f.dtype };
    if (f.shape.length !== e.shape.length || f.shape.some((d, i) => d !== e.shape[i]))
      out.push({ _tag: 'ShapeMismatch', name, expected: infoOf(e), found: fi });
    const isFloat = f.dtype.startsWith('F') || f.dtype === 'BF16';
    if ((o.strictDType ?? true) ? f.dtype !== FILE_DTYPE[e.dtype] : !isFloat) out.push({ _tag: 'DTypeMismatch', name, expected: infoOf(e), found: fi });
  }
  for (const [name, f] of found) {
    if (!expected.has(name) && !o.ignoreUnexpected?.(name)) out.push({ _tag: 'Unexpected', name, found: { shape: f.shape, dtype: f.dtype } });
  }
  return out;
};
