/**
 * Max-pool gradient: each input cell sums dy over the windows that cover it and whose first
 * arg-max it is (the window's arg-max is recomputed: a gather, GPUs cannot scatter).
 */
import type { Pool2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { windowMax } from './max-pool2d.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const maxPool2dBackward = (rt: Runtime, x: GpuHandle, xShape: Shape, dy: GpuHandle, dyShape: Shape, attrs: Pool2dAttrs): GpuHandle => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = dyShape;
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  let s = coords('i', 'j', [n * c, h, w]); // i0 plane, i1 row, i2 column
  s += `  const here = i1 * ${w} + i2;\n  let acc = 0.0;\n`;
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const ty = i1 + ${ph} - ky;\n  const oy = Math.floor((ty + 0.5) / ${sh});\n`;
  s += `  if (ty >= 0 && oy * ${sh} === ty && oy < ${oh}) {\n`;
  s += `  for (let kx = 0; kx < ${kw}; kx++) {\n  const tx = i2 + ${pw} - kx;\n  const ox = Math.floor((tx + 0.5) / ${sw});\n`;
  s += `  if (tx >= 0 && ox * ${sw} === tx && ox < ${ow}) {\n`;
  s += windowMax('w', x, 'i0', 'oy', 'ox', xShape, attrs);
  s += '  if (wat === here) {\n' + readFlat('gv', 'dy', `i0 * ${oh * ow} + oy * ${ow} + ox`, dy) + '  acc += gv;\n  }\n';
  s += '  }\n  }\n  }\n  }\n  return acc;';
  return rt.run(['x', 'dy'], s, n * c * h * w, [x, dy]);
};
