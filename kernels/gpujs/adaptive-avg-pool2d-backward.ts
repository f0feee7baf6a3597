/** Adaptive average-pool gradient: each input cell sums dy / area over the output windows holding it. */
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { adaptiveWindow } from './adaptive-avg-pool2d.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const adaptiveAvgPool2dBackward = (rt: Runtime, dy: GpuHandle, dyShape: Shape, xShape: Shape): GpuHandle => {
  const [n, c, h, w] = xShape;
  const [, , oh, ow] = dyShape;
  const [ys, ye] = adaptiveWindow('oy', h, oh);
  const [xs, xe] = adaptiveWindow('ox', w, ow);
  let s = coords('i', 'j', [n * c, h, w]);
  s += '  let acc = 0.0;\n';
  s += `  for (let oy = 0; oy < ${oh}; oy++) {\n  const ys = ${ys};\n  const ye = ${ye};\n  if (i1 >= ys && i1 < ye) {\n`;
  s += `  for (let ox = 0; ox < ${ow}; ox++) {\n  const xs = ${xs};\n  const xe = ${xe};\n  if (i2 >= xs && i2 < xe) {\n`;
  s += readFlat('gv', 'dy', `i0 * ${oh * ow} + oy * ${ow} + ox`, dy);
  s += '  acc += gv / ((ye - ys) * (xe - xs));\n  }\n  }\n  }\n  }\n  return acc;';
  return rt.run(['dy'], s, n * c * h * w, [dy]);
};
