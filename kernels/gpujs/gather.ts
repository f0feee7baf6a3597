/** Rows of x along axis 0: out[i, ...] = x[indices[i], ...]. The indices travel as a float array. */
import { sizeOf, type Shape } from '../../lib/tensor/shape.js';
import { readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const gather = (rt: Runtime, x: GpuHandle, shape: Shape, indices: Int32Array): GpuHandle => {
  const row = sizeOf(shape.slice(1));
  const n = indices.length;
  if (n * row === 0) return rt.run([], '  return 0.0;', 0, []);
  let s = `  const i = ${row === 1 ? 'j' : `Math.floor((j + 0.5) / ${row})`};\n  const c = j - i * ${row};\n`;
  s += '  const src = idx[i];\n' + readFlat('v', 'x', `src * ${row} + c`, x) + '  return v;';
  return rt.run(['x', 'idx'], s, n * row, [x, Float32Array.from(indices)]);
};
