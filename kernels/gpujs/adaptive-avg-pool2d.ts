/**
 * Adaptive average pooling with PyTorch's windows [floor(i*H/OH), ceil((i+1)*H/OH)).
 * Window bounds are integer divisions done exactly (see codegen's idiv).
 */
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

/** Expressions for the window [start, end) of output index `o` when `size` cells pool to `out`. */
export const adaptiveWindow = (o: string, size: number, out: number): [string, string] => [
  `Math.floor((${o} * ${size} + 0.5) / ${out})`,
  `Math.floor(((${o} + 1) * ${size} + ${out - 1} + 0.5) / ${out})`,
];

/** The longest window, the constant loop bound. */
export const maxWindow = (size: number, out: number): number => {
  let m = 0;
  for (let i = 0; i < out; i++) m = Math.max(m, Math.ceil(((i + 1) * size) / out) - Math.floor((i * size) / out));
  return m;
};

export const adaptiveAvgPool2d = (rt: Runtime, x: GpuHandle, xShape: Shape, out: readonly [number, number]): GpuHandle => {
  const [n, c, h, w] = xShape;
  const [oh, ow] = out;
  const [ys, ye] = adaptiveWindow('o1', h, oh);
  const [xs, xe] = adaptiveWindow('o2', w, ow);
  let s = coords('o', 'j', [n * c, oh, ow]);
  s += `  const ys = ${ys};\n  const ye = ${ye};\n  const xs = ${xs};\n  const xe = ${xe};\n  let acc = 0.0;\n`;
  s += `  for (let dy = 0; dy < ${maxWindow(h, oh)}; dy++) {\n  if (ys + dy < ye) {\n`;
  s += `  for (let dx = 0; dx < ${maxWindow(w, ow)}; dx++) {\n  if (xs + dx < xe) {\n`;
  s += readFlat('v', 'x', `o0 * ${h * w} + (ys + dy) * ${w} + xs + dx`, x) + '  acc += v;\n  }\n  }\n  }\n  }\n';
  s += '  return acc / ((ye - ys) * (xe - xs));';
  return rt.run(['x'], s, n * c * oh * ow, [x]);
};
