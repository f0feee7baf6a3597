/**
 * Reductions over sorted axes; the result has the input's shape with those axes set to 1.
 * One thread per output cell loops over the reduced cells (constant bounds, nested per axis).
 */
import type { ReduceOp } from '../../lib/backend/backend.js';
import { sizeOf, stridesOf, type Shape } from '../../lib/tensor/shape.js';
import { coords, offset, readFlat } from './codegen.js';
import { fill } from './fill.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const reduce = (rt: Runtime, op: ReduceOp, x: GpuHandle, shape: Shape, axes: readonly number[]): GpuHandle => {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outSize = sizeOf(outShape);
  if (sizeOf(axes.map((a) => shape[a])) === 0) return fill(rt, outSize, op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
  const st = stridesOf(shape);
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const base = offset(kept.map((i) => [`o${i}`, st[i]] as const));
  let s = coords('o', 'j', outShape);
  s += `  const base = ${base};\n`;
  if (op !== 'sum') s += readFlat('first', 'x', 'base', x);
  s += `  let acc = ${op === 'sum' ? '0.0' : 'first'};\n`;
  let open = '';
  let close = '';
  for (const a of axes) {
    open += `  for (let r${a} = 0; r${a} < ${shape[a]}; r${a}++) {\n`;
    close += '  }\n';
  }
  const idx = `base + ${offset(axes.map((a) => [`r${a}`, st[a]] as const))}`;
  const combine = op === 'sum' ? 'acc += v;' : op === 'max' ? 'acc = Math.max(acc, v);' : 'acc = Math.min(acc, v);';
  s += open + readFlat('v', 'x', idx, x) + `  ${combine}\n` + close + '  return acc;';
  return rt.run(['x'], s, outSize, [x]);
};
