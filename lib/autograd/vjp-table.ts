/**
 * All gradient (vector-Jacobian product) rules, one entry per op, in one table.
 * A rule receives the output cotangent g, the op's tape node and its output y, and returns one
 * cotangent per input (null where the input takes none). Rules are written with the ops
 * themselves, so every backend gets every gradient. grad() runs them with recording off.
 */
import type { TapeNode, Tensor } from '../tensor/tensor.js';
import * as ops from '../ops/index.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import type { Conv2dAttrs, Pool2dAttrs } from '../backend/backend.js';

export type VjpRule = (g: Tensor, node: TapeNode, y: Tensor) => ReadonlyArray<Tensor | null>;

/** Sum a broadcast cotangent back down to the input's shape. */
export const unbroadcast = (g: Tensor, shape: Shape): Tensor => {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const off = g.rank - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < off || (shape[i - off] === 1 && d !== 1)) axes.push(i);
  });
  const s = axes.length ? ops.sum(g, axes, true) : g;
  return ops.reshape(s, shape);
};

const attr = <T>(node: TapeNode, key: string) => node.saved[key] as T;
const [A, B] = [0, 1];
const inp = (node: TapeNode, i: number) => node.inputs[i];

export const VJP_TABLE: Record<string, VjpRule> = {
  add: (g, n) => [unbroadcast(g, inp(n, A).shape), unbroadcast(g, inp(n, B).shape)],
  sub: (g, n) => [unbroadcast(g, inp(n, A).shape), unbroadcast(ops.neg(g), inp(n, B).shape)],
  mul: (g, n) => [unbroadcast(ops.mul(g, inp(n, B)), inp(n, A).shape), unbroadcast(ops.mul(g, inp(n, A)), inp(n, B).shape)],
  div: (g, n, y) => [unbroadcast(ops.div(g, inp(n, B)), inp(n, A).shape), unbroadcast(ops.neg(ops.div(ops.mul(g, y), inp(n, B))), inp(n, B).shape)],
  pow: (g, n, y) => {
    const [a, b] = n.inputs;
    // d/da = b a^(b-1); d/db = y log a (only where a > 0; elsewhere 0 rather than NaN)
    const da = ops.mul(g, ops.mul(b, ops.pow(a, ops.sub(b, 1))));
    const db = b.tracksGrad ? ops.mul(g, ops.mul(y, ops.where(ops.gt(a, 0), ops.log(ops.maximum(a, 1e-30)), 0))) : null;
    return [unbroadcast(da, a.shape), db && unbroadcast(db, b.shape)];
  },
  max: (g, n, y) => minMaxBinary(g, n, y),
  min: (g, n, y) => minMaxBinary(g, n, y),
  neg: (g) => [ops.neg(g)],
  /** identity forward, -lambda g backward (gradient reversal) */
  gradReverse: (g, n) => [ops.mul(g, -attr<number>(n, 'lambda'))],
  exp: (g, _n, y) => [ops.mul(g, y)],
  log: (g, n) => [ops.div(g, inp(n, A))],
  sqrt: (g, _n, y) => [ops.div(g, ops.mul(y, 2))],
  abs: (g, n) => [ops.mul(g, ops.sign(inp(n, A)))],
  relu: (g, n) => [ops.reluGrad(g, inp(n, A))],
  gelu: (g, n) => [ops.mul(g, ops.geluGrad(inp(n, A)))],
  tanh: (g, _n, y) => [ops.mul(g, ops.sub(1, ops.square(y)))],
  sigmoid: (g, _n, y) => [ops.mul(g, ops.mul(y, ops.sub(1, y)))],
  square: (g, n) => [ops.mul(g, ops.mul(inp(n, A), 2))],
  reciprocal: (g, _n, y) => [ops.neg(ops.mul(g, ops.square(y)))],
  clamp: (g, n) => {
    const x = inp(n, A);
    const inside = ops.mul(ops.gt(x, attr<number>(n, 'lo')), ops.lt(x, attr<number>(n, 'hi')));
    return [ops.mul(g, inside)];
  },
  where: (g, n) => {
    const cond = attr<Tensor>(n, 'cond');
    const [a, b] = n.inputs;
    return [unbroadcast(ops.where(cond, g, 0), a.shape), unbroadcast(ops.where(cond, 0, g), b.shape)];
  },
  sum: (g, n) => [ops.mul(g, ops.onesLike(inp(n, A)))], // g has the kept shape: broadcasting spreads it
  reduceMax: (g, n, y) => reduceMinMax(g, n, y),
  reduceMin: (g, n, y) => reduceMinMax(g, n, y),
  reshape: (g, n) => [ops.reshape(g, attr<Shape>(n, 'from'))],
  permute: (g, n) => {
    const perm = attr<number[]>(n, 'perm');
    const inv = perm.map((_, i) => perm.indexOf(i));
    return [ops.permute(g, inv)];
  },
  matmul: (g, n) => {
    const [a, b] = n.inputs;
    const tA = attr<boolean>(n, 'transA');
    const tB = attr<boolean>(n, 'transB');
    // C = op(A) op(B): dA = g op(B)^T (transposed back if A was), dB likewise
    const da = tA ? ops.matmul(b, g, { transA: tB, transB: true }) : ops.matmul(g, b, { transB: !tB });
    const db = tB ? ops.matmul(g, a, { transA: true, transB: tA }) : ops.matmul(a, g, { transA: !tA });
    return [sumToBatch(da, a.shape), sumToBatch(db, b.shape)];
  },
  slice: (g, n) => [ops.padInto(g, attr<number[]>(n, 'begin'), inp(n, A).shape)],
  padInto: (g, n) => [ops.slice(g, attr<number[]>(n, 'begin'), inp(n, A).shape)],
  gather: (g, n) => [ops.scatterAdd(g, attr<Int32Array>(n, 'indices'), inp(n, A).shape[0])],
  scatterAdd: (g, n) => [ops.gather(g, attr<Int32Array>(n, 'indices'))],
  concat: (g, n) => {
    const axis = attr<number>(n, 'axis');
    let at = 0;
    return n.inputs.map((x) => {
      const begin = g.shape.map((_, i) => (i === axis ? at : 0));
      at += x.shape[axis];
      return x.tracksGrad ? ops.slice(g, begin, x.shape) : null;
    });
  },
  broadcastTo: (g, n) => [unbroadcast(g, inp(n, A).shape)],
  // y (g - <g, y>) along the axis: the softmax Jacobian is diag(y) - y y^T
  softmax: (g, n, y) => [ops.mul(y, ops.sub(g, ops.sum(ops.mul(g, y), attr<number>(n, 'axis'), true)))],
  logSoftmax: (g, n, y) => [ops.sub(g, ops.mul(ops.exp(y), ops.sum(g, attr<number>(n, 'axis'), true)))],
  conv2d: (g, n) => {
    const [x, w] = n.inputs;
    const attrs = attr<Conv2dAttrs>(n, 'attrs');
    return [x.tracksGrad ? ops.conv2dBackwardInput(g, w, x.shape, attrs) : null, w.tracksGrad ? ops.conv2dBackwardFilter(x, g, w.shape, attrs) : null];
  },
  // through the activation first (y > 0 exactly where the pre-activation is: step(y) is relu's mask)
  conv2dBiasAct: (g, n, y) => {
    const [x, w, b] = n.inputs;
    const attrs = attr<Conv2dAttrs>(n, 'attrs');
    const gz = attr<string>(n, 'act') === 'relu' ? ops.reluGrad(g, y) : g;
    return [
      x.tracksGrad ? ops.conv2dBackwardInput(gz, w, x.shape, attrs) : null,
      w.tracksGrad ? ops.conv2dBackwardFilter(x, gz, w.shape, attrs) : null,
      b.tracksGrad ? ops.sum(gz, [0, 2, 3]) : null,
    ];
  },
  maxPool2d: (g, n) => [ops.maxPool2dBackward(inp(n, A), g, attr<Pool2dAttrs>(n, 'attrs'))],
  avgPool2d: (g, n) => [ops.avgPool2dBackward(g, inp(n, A).shape, attr<Pool2dAttrs>(n, 'attrs'))],
  adaptiveAvgPool2d: (g, n) => [ops.adaptiveAvgPool2dBackward(g, inp(n, A).shape)],
  // x / ||x|| where the norm is above eps (where the max picked the norm), else 0: finite at x = 0
  l2Norm: (g, n, y) => {
    const x = inp(n, A);
    return [ops.where(ops.gt(y, attr<number>(n, 'eps')), ops.div(ops.mul(g, x), y), 0)];
  },
};

/** A matmul operand that was broadcast over the batch gets its cotangent summed over it. */
const sumToBatch = (g: Tensor, shape: Shape): Tensor => (sizeOf(g.shape) === sizeOf(shape) ? ops.reshape(g, shape) : unbroadcast(g, shape));

/** Binary max/min send the cotangent to the winning side (split evenly on ties). */
function minMaxBinary(g: Tensor, n: TapeNode, y: Tensor): Tensor[] {
  const [a, b] = n.inputs;
  const wa = ops.eq(a, y);
  const wb = ops.eq(b, y);
  const share = ops.add(wa, wb);
  return [unbroadcast(ops.div(ops.mul(g, wa), share), a.shape), unbroadcast(ops.div(ops.mul(g, wb), share), b.shape)];
}

/** Reduced max/min: the cotangent goes to the elements equal to the extremum, split among ties. */
function reduceMinMax(g: Tensor, n: TapeNode, y: Tensor): Tensor[] {
  const x = inp(n, A);
  const hit = ops.eq(x, y); // y has the kept (keepDims) shape: broadcasts over x
  const ties = ops.sum(hit, attr<number[]>(n, 'axes'), true);
  return [ops.div(ops.mul(hit, g), ties)];
}
