/** 2-d convolution (cross-correlation), NCHW, no bias. Gradients: the two backward kernels below. */
import type { Conv2dAttrs } from '../backend/backend.js';
import { record } from '../autograd/tape.js';
import { EngineError, fmtShape, shapeError } from '../errors.js';
import { windowOutSize, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { sameBackendAndDtype } from './guard.js';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  readonly stride?: Pair;
  /** Zero padding on each side (rows, cols). */
  readonly padding?: Pair;
}

/** A number or a pair as a pair of non-negative (or >= min) integers. */
export const toPair = (op: string, name: string, v: Pair, min: number): [number, number] => {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (!p.every((d) => Number.isInteger(d) && d >= min)) throw new EngineError('ArgumentError', op, `${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
};

export const conv2dAttrs = (o: Conv2dOptions = {}): Conv2dAttrs => ({
  stride: toPair('conv2d', 'stride', o.stride ?? 1, 1),
  pad: toPair('conv2d', 'padding', o.padding ?? 0, 0),
});

const outShapeOf = (xShape: Shape, wShape: Shape, a: Conv2dAttrs): number[] => [
  xShape[0], wShape[0],
  windowOutSize(xShape[2], wShape[2], a.stride[0], a.pad[0]),
  windowOutSize(xShape[3], wShape[3], a.stride[1], a.pad[1]),
];

/** x [N, C, H, W] * w [O, C, KH, KW] -> [N, O, OH, OW]. */
export const conv2d = (x: Tensor, w: Tensor, o: Conv2dOptions = {}): Tensor => {
  sameBackendAndDtype('conv2d', x, w);
  if (x.rank !== 4 || w.rank !== 4) throw shapeError('conv2d', 'x must be [N, C, H, W] and w [O, C, KH, KW]', x.shape, w.shape);
  if (x.shape[1] !== w.shape[1]) throw shapeError('conv2d', `channels differ (${x.shape[1]} in x, ${w.shape[1]} in w)`, x.shape, w.shape);
  const attrs = conv2dAttrs(o);
  const outShape = outShapeOf(x.shape, w.shape, attrs);
  if (outShape[2] < 1 || outShape[3] < 1) throw shapeError('conv2d', `kernel larger than the padded input (padding ${attrs.pad.join(', ')})`, x.shape, w.shape);
  const h = x.backend.conv2d(x.handle, x.shape, w.handle, w.shape, attrs);
  return record(new Tensor(x.backend, h, outShape), 'conv2d', [x, w], { attrs });
};

/** d conv2d / d x applied to dy (not recorded: used by the gradient rule). */
export const conv2dBackwardInput = (dy: Tensor, w: Tensor, xShape: Shape, attrs: Conv2dAttrs): Tensor =>
  new Tensor(dy.backend, dy.backend.conv2dBackwardInput(dy.handle, dy.shape, w.handle, w.shape, xShape, attrs), [...xShape]);

/** d conv2d / d w applied to dy (not recorded: used by the gradient rule). */
export const conv2dBackwardFilter = (x: Tensor, dy: Tensor, wShape: Shape, attrs: Conv2dAttrs): Tensor =>
  new Tensor(dy.backend, dy.backend.conv2dBackwardFilter(x.handle, x.shape, dy.handle, dy.shape, wShape, attrs), [...wShape]);

export const checkNchw = (op: string, x: Tensor) => {
  if (x.rank !== 4) throw new EngineError('ShapeError', op, `x must be [N, C, H, W], got ${fmtShape(x.shape)}`);
};
