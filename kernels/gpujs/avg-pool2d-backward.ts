/** Average-pool gradient: each input cell sums dy / count over the windows covering it. */
import type { Pool2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { windowCount } from './avg-pool2d.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const avgPool2dBackward = (rt: Runtime, dy: GpuHandle, dyShape: Shape, xShape: Shape, attrs: Pool2dAttrs): GpuHandle => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = dyShape;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  let s = coords('i', 'j', [n * c, h, w]);
  s += '  let acc = 0.0;\n';
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const ty = i1 + ${ph} - ky;\n  const oy = Math.floor((ty + 0.5) / ${sh});\n`;
  s += `  if (ty >= 0 && oy * ${sh} === ty && oy < ${oh}) {\n`;
  s += `  for (let kx = 0; kx < ${kw}; kx++) {\n  const tx = i2 + ${pw} - kx;\n  const ox = Math.floor((tx + 0.5) / ${sw});\n`;
  s += `  if (tx >= 0 && ox * ${sw} === tx && ox < ${ow}) {\n`;
  s += readFlat('gv', 'dy', `i0 * ${oh * ow} + oy * ${ow} + ox`, dy);
  s += `  acc += gv / (${windowCount('oy', 'ox', xShape, attrs)});\n  }\n  }\n  }\n  }\n  return acc;`;
  return rt.run(['dy'], s, n * c * h * w, [dy]);
};
