/** Pooling over NCHW: max, average (padding not counted), and adaptive average (PyTorch windows). */
import type { Pool2dAttrs } from '../backend/backend.js';
import { record } from '../autograd/tape.js';
import { EngineError, fmtShape } from '../errors.js';
import { windowOutSize, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkNchw, toPair, type Pair } from './conv.js';

export interface Pool2dOptions {
  readonly kernel: Pair;
  /** Defaults to the kernel size (non-overlapping windows). */
  readonly stride?: Pair;
  /** At most half the kernel, so every window holds at least one real cell. */
  readonly padding?: Pair;
}

export const pool2dAttrs = (op: string, o: Pool2dOptions): Pool2dAttrs => {
  const kernel = toPair(op, 'kernel', o.kernel, 1);
  const stride = toPair(op, 'stride', o.stride ?? kernel, 1);
  const pad = toPair(op, 'padding', o.padding ?? 0, 0);
  if (pad[0] * 2 > kernel[0] || pad[1] * 2 > kernel[1])
    throw new EngineError('ArgumentError', op, `padding [${pad.join(', ')}] must be at most half the kernel [${kernel.join(', ')}]`);
  return { kernel, stride, pad };
};

const pooledShape = (op: string, x: Tensor, a: Pool2dAttrs): number[] => {
  checkNchw(op, x);
  const s = [
    x.shape[0],
    x.shape[1],
    windowOutSize(x.shape[2], a.kernel[0], a.stride[0], a.pad[0]),
    windowOutSize(x.shape[3], a.kernel[1], a.stride[1], a.pad[1]),
  ];
  if (s[2] < 1 || s[3] < 1) throw new EngineError('ShapeError', op, `kernel [${a.kernel.join(', ')}] larger than the padded input ${fmtShape(x.shape)}`);
  return s;
};

/** Max over each window; padding never wins; the gradient goes to the first arg-max. */
export const maxPool2d = (x: Tensor, o: Pool2dOptions): Tensor => {
  const attrs = pool2dAttrs('maxPool2d', o);
  const shape = pooledShape('maxPool2d', x, attrs);
  return record(new Tensor(x.backend, x.backend.maxPool2d(x.handle, x.shape, attrs), shape), 'maxPool2d', [x], { attrs });
};

/** Mean over the in-bounds cells of each window. */
export const avgPool2d = (x: Tensor, o: Pool2dOptions): Tensor => {
  const attrs = pool2dAttrs('avgPool2d', o);
  const shape = pooledShape('avgPool2d', x, attrs);
  return record(new Tensor(x.backend, x.backend.avgPool2d(x.handle, x.shape, attrs), shape), 'avgPool2d', [x], { attrs });
};

/** Average pooling to a fixed [oh, ow] (windows [floor(i H / oh), ceil((i + 1) H / oh))). */
export const adaptiveAvgPool2d = (x: Tensor, out: readonly [number, number]): Tensor => {
  checkNchw('adaptiveAvgPool2d', x);
  const [oh, ow] = toPair('adaptiveAvgPool2d', 'output size', out, 1);
  if (x.shape[2] < 1 || x.shape[3] < 1) throw new EngineError('ShapeError', 'adaptiveAvgPool2d', `empty spatial input ${fmtShape(x.shape)}`);
  const h = x.backend.adaptiveAvgPool2d(x.handle, x.shape, [oh, ow]);
  return record(new Tensor(x.backend, h, [x.shape[0], x.shape[1], oh, ow]), 'adaptiveAvgPool2d', [x]);
};

// Backward passes (not recorded: used by the gradient rules).
export const maxPool2dBackward = (x: Tensor, dy: Tensor, attrs: Pool2dAttrs): Tensor =>
  new Tensor(x.backend, x.backend.maxPool2dBackward(x.handle, x.shape, dy.handle, dy.shape, attrs), x.shape);
export const avgPool2dBackward = (dy: Tensor, xShape: Shape, attrs: Pool2dAttrs): Tensor =>
  new Tensor(dy.backend, dy.backend.avgPool2dBackward(dy.handle, dy.shape, xShape, attrs), [...xShape]);
export const adaptiveAvgPool2dBackward = (dy: Tensor, xShape: Shape): Tensor =>
  new Tensor(dy.backend, dy.backend.adaptiveAvgPool2dBackward(dy.handle, dy.shape, xShape), [...xShape]);
