/** Max pooling over [N, C, H, W]; padding cells are skipped, so they never win. */
import type { Pool2dAttrs } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { convOutSize } from './conv2d.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const poolOut = (xShape: Shape, a: Pool2dAttrs): [number, number] => [
  convOutSize(xShape[2], a.kernel[0], a.stride[0], a.pad[0]),
  convOutSize(xShape[3], a.kernel[1], a.stride[1], a.pad[1]),
];

/**
 * Statements scanning the window of output cell (oyE, oxE) of plane `plane` and leaving the
 * first maximum's value in `${p}m` and its in-plane index in `${p}at` (-1 if all padding).
 */
export const windowMax = (p: string, x: GpuHandle, plane: string, oyE: string, oxE: string, xShape: Shape, a: Pool2dAttrs): string => {
  const [, , h, w] = xShape;
  const [kh, kw] = a.kernel;
  let s = `  let ${p}m = -3.4e38;\n  let ${p}at = -1.0;\n`;
  s += `  for (let ${p}y = 0; ${p}y < ${kh}; ${p}y++) {\n  const ${p}iy = ${oyE} * ${a.stride[0]} - ${a.pad[0]} + ${p}y;\n  if (${p}iy >= 0 && ${p}iy < ${h}) {\n`;
  s += `  for (let ${p}x = 0; ${p}x < ${kw}; ${p}x++) {\n  const ${p}ix = ${oxE} * ${a.stride[1]} - ${a.pad[1]} + ${p}x;\n  if (${p}ix >= 0 && ${p}ix < ${w}) {\n`;
  s += readFlat(`${p}v`, 'x', `${plane} * ${h * w} + ${p}iy * ${w} + ${p}ix`, x);
  // strict > keeps the first maximum in row-major window order; at < 0 takes the first cell even if it is -inf
  s += `  if (${p}v > ${p}m || ${p}at < 0.0) {\n  ${p}m = ${p}v;\n  ${p}at = ${p}iy * ${w} + ${p}ix;\n  }\n  }\n  }\n  }\n  }\n`;
  return s;
};

export const maxPool2d = (rt: Runtime, x: GpuHandle, xShape: Shape, attrs: Pool2dAttrs): GpuHandle => {
  const [n, c] = xShape;
  const [oh, ow] = poolOut(xShape, attrs);
  let s = coords('o', 'j', [n * c, oh, ow]); // o0 plane, o1 row, o2 column
  s += windowMax('w', x, 'o0', 'o1', 'o2', xShape, attrs) + '  return wm;';
  return rt.run(['x'], s, n * c * oh * ow, [x]);
};
