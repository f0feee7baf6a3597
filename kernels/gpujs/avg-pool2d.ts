/** Average pooling over [N, C, H, W]; the divisor counts in-bounds cells only. */
import type { Pool2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { poolOut } from './max-pool2d.js';
import type { GpuHandle, Runtime } from './runtime.js';

/** Expression: in-bounds cell count of the window at (oyE, oxE). */
export const windowCount = (oyE: string, oxE: string, xShape: Shape, a: Pool2dAttrs): string => {
  const span = (o: string, k: number, s: number, p: number, size: number) => `(Math.min(${o} * ${s} - ${p} + ${k}, ${size}) - Math.max(${o} * ${s} - ${p}, 0))`;
  return `${span(oyE, a.kernel[0], a.stride[0], a.pad[0], xShape[2])} * ${span(oxE, a.kernel[1], a.stride[1], a.pad[1], xShape[3])}`;
};

export const avgPool2d = (rt: Runtime, x: GpuHandle, xShape: Shape, attrs: Pool2dAttrs): GpuHandle => {
  const [n, c, h, w] = xShape;
  const [oh, ow] = poolOut(xShape, attrs);
  const [kh, kw] = attrs.kernel;
  let s = coords('o', 'j', [n * c, oh, ow]);
  s += '  let acc = 0.0;\n';
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const iy = o1 * ${attrs.stride[0]} - ${attrs.pad[0]} + ky;\n  if (iy >= 0 && iy < ${h}) {\n`;
  s += `  for (let kx = 0; kx < ${kw}; kx++) {\n  const ix = o2 * ${attrs.stride[1]} - ${attrs.pad[1]} + kx;\n  if (ix >= 0 && ix < ${w}) {\n`;
  s += readFlat('v', 'x', `o0 * ${h * w} + iy * ${w} + ix`, x) + '  acc += v;\n  }\n  }\n  }\n  }\n';
  s += `  return acc / (${windowCount('o1', 'o2', xShape, attrs)});`;
  return rt.run(['x'], s, n * c * oh * ow, [x]);
};
