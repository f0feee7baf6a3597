/** out = cond != 0 ? a : b, all three broadcast to the output shape. */
import { sizeOf, type Shape } from '../../lib/tensor/shape.js';
import { readBroadcast } from './binary.js';
import type { GpuHandle, Runtime } from './runtime.js';

export const where = (rt: Runtime, c: GpuHandle, cShape: Shape, a: GpuHandle, aShape: Shape, b: GpuHandle, bShape: Shape, outShape: Shape): GpuHandle => {
  const body =
    readBroadcast(
      [
        ['c', c, cShape],
        ['a', a, aShape],
        ['b', b, bShape],
      ],
      outShape,
    ) + '  return (c !== 0.0 ? a : b);';
  return rt.run(['cBuf', 'aBuf', 'bBuf'], body, sizeOf(outShape), [c, a, b]);
};
