/** A copy of the box [begin, begin + size) of x. */
import { sizeOf, stridesOf, type Shape } from '../../lib/tensor/shape.js';
import { coords, offset, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const slice = (rt: Runtime, x: GpuHandle, shape: Shape, begin: readonly number[], size: readonly number[]): GpuHandle => {
  const st = stridesOf(shape);
  const start = begin.reduce((acc, b, i) => acc + b * st[i], 0);
  const idx = `${start} + ${offset(size.map((_, i) => [`o${i}`, st[i]] as const))}`;
  const s = coords('o', 'j', size) + readFlat('v', 'x', idx, x) + '  return v;';
  return rt.run(['x'], s, sizeOf(size), [x]);
};
