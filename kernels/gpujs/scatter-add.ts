/**
 * out (outRows rows) with out[indices[i], ...] += g[i, ...], the adjoint of gather. GPUs cannot
 * scatter from a fragment shader, so it is a gather: the host groups the source rows by target
 * (CSR: start[r] .. start[r + 1] into `order`) and each output cell sums its group.
 */
import { sizeOf, type Shape } from '../../lib/tensor/shape.js';
import { readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const scatterAdd = (rt: Runtime, g: GpuHandle, gShape: Shape, indices: Int32Array, outRows: number): GpuHandle => {
  const row = sizeOf(gShape.slice(1));
  const start = new Float32Array(outRows + 1);
  for (const t of indices) start[t + 1]++;
  let maxCount = 0;
  for (let r = 0; r < outRows; r++) {
    maxCount = Math.max(maxCount, start[r + 1]);
    start[r + 1] += start[r];
  }
  if (maxCount === 0 || row === 0) return rt.run(['v'], '  return v;', outRows * row, [0]);
  const order = new Float32Array(indices.length);
  const next = start.slice(0, outRows);
  indices.forEach((t, i) => (order[next[t]++] = i));
  let s = `  const r = ${row === 1 ? 'j' : `Math.floor((j + 0.5) / ${row})`};\n  const c = j - r * ${row};\n`;
  s += '  const st = start[r];\n  const en = start[r + 1];\n  let acc = 0.0;\n';
  s += `  for (let t = 0; t < ${maxCount}; t++) {\n    if (st + t < en) {\n      const src = order[st + t];\n`;
  s += readFlat('v', 'g', `src * ${row} + c`, g) + '      acc += v;\n    }\n  }\n  return acc;';
  return rt.run(['g', 'start', 'order'], s, outRows * row, [g, start, order]);
};
