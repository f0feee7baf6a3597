/**
 * Softmax over the last axis of [rows, cols], in three kernels (row max, row sum of
 * exp(x - max), normalise) so each thread loops over one row once, not once per output cell.
 */
import { readFlat } from './codegen.js';
import { reduce } from './reduce.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const softmax = (rt: Runtime, x: GpuHandle, rows: number, cols: number): GpuHandle => {
  if (rows * cols === 0) return rt.run([], '  return 0.0;', 0, []);
  const m = reduce(rt, 'max', x, [rows, cols], [1]);
  try {
    let s = '  const r = j;\n' + readFlat('mx', 'm', 'r', m); // one thread per row
    s +=
      `  let acc = 0.0;\n  for (let c = 0; c < ${cols}; c++) {\n` + readFlat('v', 'x', `r * ${cols} + c`, x) + '  acc += Math.exp(v - mx);\n  }\n  return acc;';
    const z = rt.run(['x', 'm'], s, rows, [x, m]);
    try {
      let t = `  const r = ${cols === 1 ? 'j' : `Math.floor((j + 0.5) / ${cols})`};\n` + readFlat('mx', 'm', 'r', m) + readFlat('zz', 'z', 'r', z);
      t += '  const v = xb[this.thread.y][this.thread.x];\n  return Math.exp(v - mx) / zz;';
      return rt.run(['xb', 'm', 'z'], t, rows * cols, [x, m, z]);
    } finally {
      rt.release(z);
    }
  } finally {
    rt.release(m);
  }
};
