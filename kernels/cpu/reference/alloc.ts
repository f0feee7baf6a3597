/** Output allocation shared by the reference kernels: the caller's buffer if given, else a fresh array of the input's dtype. */
import type { TypedArray } from '../../../lib/tensor/dtype.js';

export const outLike = (like: TypedArray, n: number, out?: TypedArray): TypedArray => {
  if (out) {
    if (out.length !== n) throw new RangeError(`reference kernel: output buffer holds ${out.length} elements, ${n} needed`);
    return out;
  }
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
};
