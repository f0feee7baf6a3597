/** Elementwise binary maps with NumPy broadcasting, and `where` (three-way select). */
import type { BinaryOp } from '../../lib/backend/backend.js';
import { sizeOf, type Shape } from '../../lib/tensor/shape.js';
import { broadcastOffset, coords, readFlat } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

/**
 * pow as JS has it: GLSL pow is undefined for a negative base, so an integer exponent takes the
 * sign from its parity, and a non-integer one gives NaN.
 */
const POW = `(b === 0.0 ? 1.0 : (a > 0.0 ? Math.pow(a, b) : (a === 0.0 ? (b > 0.0 ? 0.0 : 1.0 / 0.0)
  : (Math.floor(b) === b ? (Math.floor(b * 0.5) * 2.0 === b ? 1.0 : -1.0) * Math.pow(-a, b) : 0.0 / 0.0))))`;

const EXPR: Record<BinaryOp, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'a / b',
  pow: POW,
  max: 'Math.max(a, b)',
  min: 'Math.min(a, b)',
  eq: '(a === b ? 1.0 : 0.0)',
  gt: '(a > b ? 1.0 : 0.0)',
  ge: '(a >= b ? 1.0 : 0.0)',
  lt: '(a < b ? 1.0 : 0.0)',
  reluGrad: 'a * (b > 0.0 ? 1.0 : 0.0)', // as mul(a, step(b)) with this backend's step
};

/**
 * Statements reading each operand at the output's flat index into consts named like the
 * operands: a same-size operand shares the output's layout and is read at (y, x) directly;
 * a broadcast one through the output coordinates.
 */
export const readBroadcast = (operands: ReadonlyArray<readonly [string, GpuHandle, Shape]>, outShape: Shape): string => {
  const outSize = sizeOf(outShape);
  const needCoords = operands.some(([, h]) => h.size !== outSize);
  let s = needCoords ? coords('o', 'j', outShape) : '';
  for (const [name, h, shape] of operands) {
    if (h.size === outSize) s += `  const ${name} = ${name}Buf[this.thread.y][this.thread.x];\n`;
    else if (h.size === 1) s += `  const ${name} = ${name}Buf[0][0];\n`;
    else s += readFlat(name, `${name}Buf`, broadcastOffset('o', shape, outShape), h);
  }
  return s;
};

export const binary = (rt: Runtime, op: BinaryOp, a: GpuHandle, aShape: Shape, b: GpuHandle, bShape: Shape, outShape: Shape): GpuHandle => {
  const body =
    readBroadcast(
      [
        ['a', a, aShape],
        ['b', b, bShape],
      ],
      outShape,
    ) + `  return ${EXPR[op]};`;
  return rt.run(['aBuf', 'bBuf'], body, sizeOf(outShape), [a, b]);
};
