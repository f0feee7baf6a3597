/**
 * Concatenation along one axis: each output cell reads the input whose range along the axis
 * holds it. At most MAX_INPUTS inputs per kernel (GL caps texture units per shader); longer
 * lists are joined in groups and the groups joined again.
 */
import { sizeOf, stridesOf, type Shape } from '../../lib/tensor/shape.js';
import { coords, offset, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

const MAX_INPUTS = 8;

export const concat = (rt: Runtime, xs: readonly GpuHandle[], shapes: readonly Shape[], axis: number): GpuHandle => {
  if (xs.length > MAX_INPUTS) {
    const parts: GpuHandle[] = [];
    const partShapes: Shape[] = [];
    try {
      for (let i = 0; i < xs.length; i += MAX_INPUTS) {
        parts.push(concat(rt, xs.slice(i, i + MAX_INPUTS), shapes.slice(i, i + MAX_INPUTS), axis));
        const sh = [...shapes[i]];
        sh[axis] = shapes.slice(i, i + MAX_INPUTS).reduce((acc, s) => acc + s[axis], 0);
        partShapes.push(sh);
      }
      return concat(rt, parts, partShapes, axis);
    } finally {
      for (const p of parts) rt.release(p);
    }
  }
  const outShape = [...shapes[0]];
  outShape[axis] = shapes.reduce((acc, s) => acc + s[axis], 0);
  // empty inputs hold nothing and cannot be kernel arguments
  const used = xs.map((x, i) => [x, shapes[i], i] as const).filter(([x]) => x.size > 0);
  let s = coords('o', 'j', outShape);
  for (const [x, sh, i] of used) {
    const st = stridesOf(sh);
    const start = shapes.slice(0, i).reduce((acc, q) => acc + q[axis], 0);
    const idx = offset(outShape.map((_, d) => [d === axis ? `(o${d} - ${start})` : `o${d}`, st[d]] as const));
    s += `  if (o${axis} < ${start + sh[axis]}) {\n` + readFlat(`v${i}`, `x${i}`, idx, x) + `  return v${i};\n  }\n`;
  }
  s += '  return 0.0;';
  return rt.run(
    used.map(([, , i]) => `x${i}`),
    s,
    sizeOf(outShape),
    used.map(([x]) => x),
  );
};
