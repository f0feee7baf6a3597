/** Zeros of outShape with x written at offset `begin` (the adjoint of slice). */
import { sizeOf, stridesOf, type Shape } from '../../lib/tensor/shape.js';
import { coords, offset, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const padInto = (rt: Runtime, x: GpuHandle, shape: Shape, begin: readonly number[], outShape: Shape): GpuHandle => {
  const outSize = sizeOf(outShape);
  if (sizeOf(shape) === 0) return rt.run([], '  return 0.0;', outSize, []);
  const st = stridesOf(shape);
  const inside = outShape.map((_, i) => `o${i} >= ${begin[i]} && o${i} < ${begin[i] + shape[i]}`).join(' && ') || 'true';
  const idx = offset(outShape.map((_, i) => [`(o${i} - ${begin[i]})`, st[i]] as const));
  // the read happens only inside the box: outside it the offset may leave the buffer
  const s = coords('o', 'j', outShape) + `  if (!(${inside})) { return 0.0; }\n` + readFlat('v', 'x', idx, x) + '  return v;';
  return rt.run(['x'], s, outSize, [x]);
};
