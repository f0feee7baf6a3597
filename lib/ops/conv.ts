/** 2-d convolution (cross-correlation), NCHW, no bias. Gradients: the two backward kernels below. */
import type { Conv2dAttrs, ConvActivation } from '../backend/backend.js';
import { add, relu } from './elementwise.js';
import { reshape } from './shape-ops.js';
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
  if (!p.every((d) => Number.isInteger(d) && d >= min))
    throw new EngineError('ArgumentError', op, `${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  return p;
};

export const conv2dAttrs = (o: Conv2dOptions = {}): Conv2dAttrs => ({
  stride: toPair('conv2d', 'stride', o.stride ?? 1, 1),
  pad: toPair('conv2d', 'padding', o.padding ?? 0, 0),
});

const outShapeOf = (xShape: Shape, wShape: Shape, a: Conv2dAttrs): number[] => [
  xShape[0],
  wShape[0],
  windowOutSize(xShape[2], wShape[2], a.stride[0], a.pad[0]),
  windowOutSize(xShape[3], wShape[3], a.stride[1], a.pad[1]),
];

/** x [N, C, H, W] * w [O, C, KH, KW] -> [N, O, OH, OW]. */
/** The checks every convolution op makes; its attributes and output shape. */
const checkConv = (op: string, x: Tensor, w: Tensor, o: Conv2dOptions): { attrs: Conv2dAttrs; outShape: number[] } => {
  sameBackendAndDtype(op, x, w);
  if (x.rank !== 4 || w.rank !== 4) throw shapeError(op, 'x must be [N, C, H, W] and w [O, C, KH, KW]', x.shape, w.shape);
  if (x.shape[1] !== w.shape[1]) throw shapeError(op, `channels differ (${x.shape[1]} in x, ${w.shape[1]} in w)`, x.shape, w.shape);
  const attrs = conv2dAttrs(o);
  const outShape = outShapeOf(x.shape, w.shape, attrs);
  if (outShape[2] < 1 || outShape[3] < 1) throw shapeError(op, `kernel larger than the padded input (padding ${attrs.pad.join(', ')})`, x.shape, w.shape);
  return { attrs, outShape };
};

export const conv2d = (x: Tensor, w: Tensor, o: Conv2dOptions = {}): Tensor => {
  const { attrs, outShape } = checkConv('conv2d', x, w, o);
  const h = x.backend.conv2d(x.handle, x.shape, w.handle, w.shape, attrs);
  return record(new Tensor(x.backend, h, outShape), 'conv2d', [x, w], { attrs });
};

export interface Conv2dBiasActOptions extends Conv2dOptions {
  /** Applied after the bias; default 'none'. */
  readonly activation?: ConvActivation;
}

/**
 * act(conv2d(x, w) + b) with b [O]: one fused kernel on backends that have one (the CPU backend
 * runs the bias and ReLU in its GEMM's epilogue), else the composition conv2d -> add -> relu.
 * Values and gradients are the composition's either way.
 */
export const conv2dBiasAct = (x: Tensor, w: Tensor, b: Tensor, o: Conv2dBiasActOptions = {}): Tensor => {
  const act = o.activation ?? 'none';
  if (act !== 'none' && act !== 'relu')
    throw new EngineError('ArgumentError', 'conv2dBiasAct', `activation must be 'none' or 'relu', got ${JSON.stringify(act)}`);
  sameBackendAndDtype('conv2dBiasAct', x, b);
  if (b.rank !== 1 || w.rank !== 4 || b.shape[0] !== w.shape[0]) throw shapeError('conv2dBiasAct', 'bias must be [O] for w [O, C, KH, KW]', w.shape, b.shape);
  const fused = x.backend.conv2dBiasAct;
  if (!fused) {
    const y = add(conv2d(x, w, o), reshape(b, [1, b.shape[0], 1, 1]));
    return act === 'relu' ? relu(y) : y;
  }
  const y = checkConv('conv2dBiasAct', x, w, o);
  const h = fused.call(x.backend, x.handle, x.shape, w.handle, w.shape, b.handle, y.attrs, act);
  return record(new Tensor(x.backend, h, y.outShape), 'conv2dBiasAct', [x, w, b], { attrs: y.attrs, act });
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
