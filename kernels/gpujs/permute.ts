/** out = x with axes permuted: out coordinate i is input axis perm[i]. */
import { sizeOf, stridesOf, type Shape } from '../../lib/tensor/shape.js';
import { coords, offset, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const permute = (rt: Runtime, x: GpuHandle, shape: Shape, perm: readonly number[]): GpuHandle => {
  const outShape = perm.map((p) => shape[p]);
  const st = stridesOf(shape);
  const s = coords('o', 'j', outShape) + readFlat('v', 'x', offset(perm.map((p, i) => [`o${i}`, st[p]] as const)), x) + '  return v;';
  return rt.run(['x'], s, sizeOf(outShape), [x]);
};
