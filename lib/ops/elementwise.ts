/** Elementwise ops with NumPy broadcasting. Gradients: lib/autograd/vjp-table.ts. */
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { record } from '../autograd/tape.js';
import { broadcastShapes } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { full } from './create.js';
import { sameBackendAndDtype } from './guard.js';

export type TensorLike = Tensor | number;

/** A number becomes a scalar tensor on x's backend and dtype. */
export const lift = (v: TensorLike, like: Tensor): Tensor => (typeof v === 'number' ? full([], v, { dtype: like.dtype, backend: like.backend }) : v);

const binaryOp =
  (op: BinaryOp, differentiable: boolean) =>
  (a: TensorLike, b: TensorLike): Tensor => {
    const ta = typeof a === 'number' ? lift(a, b as Tensor) : a;
    const tb = lift(b, ta);
    sameBackendAndDtype(op, ta, tb);
    const outShape = broadcastShapes(op, ta.shape, tb.shape);
    const out = new Tensor(ta.backend, ta.backend.binary(op, ta.handle, ta.shape, tb.handle, tb.shape, outShape), outShape);
    return differentiable ? record(out, op, [ta, tb]) : out;
  };

export const add = binaryOp('add', true);
export const sub = binaryOp('sub', true);
export const mul = binaryOp('mul', true);
export const div = binaryOp('div', true);
/** a^b elementwise; the gradient in b uses log(a), so b's gradient is defined only for a > 0. */
export const pow = binaryOp('pow', true);
export const maximum = binaryOp('max', true);
export const minimum = binaryOp('min', true);
/** Comparisons give 1/0 masks and carry no gradient. */
export const eq = binaryOp('eq', false);
export const gt = binaryOp('gt', false);
export const ge = binaryOp('ge', false);
export const lt = binaryOp('lt', false);
/** g * step(x): ReLU's gradient in one pass (used by the gradient rules, not itself differentiated). */
export const reluGrad = binaryOp('reluGrad', false);

const unaryOp =
  (op: UnaryOp, differentiable = true) =>
  (x: Tensor): Tensor => {
    const out = new Tensor(x.backend, x.backend.unary(op, x.handle), x.shape);
    return differentiable ? record(out, op, [x]) : out;
  };

export const neg = unaryOp('neg');
export const exp = unaryOp('exp');
export const log = unaryOp('log');
export const sqrt = unaryOp('sqrt');
export const abs = unaryOp('abs');
export const relu = unaryOp('relu');
/** GELU, tanh approximation (as in MLP-Mixer/ViT implementations). */
export const gelu = unaryOp('gelu');
export const tanh = unaryOp('tanh');
export const sigmoid = unaryOp('sigmoid');
export const square = unaryOp('square');
export const reciprocal = unaryOp('reciprocal');
export const sign = unaryOp('sign', false);
export const step = unaryOp('step', false);
/** d gelu / dx, used by gelu's gradient rule. */
export const geluGrad = unaryOp('geluGrad', false);

/** Clamp to [lo, hi]; gradient 1 strictly inside, 0 where clamped. */
export const clamp = (x: Tensor, lo: number, hi: number): Tensor =>
  record(new Tensor(x.backend, x.backend.clamp(x.handle, lo, hi), x.shape), 'clamp', [x], { lo, hi });

/** cond != 0 ? a : b with broadcasting; no gradient into cond. */
export const where = (cond: Tensor, a: TensorLike, b: TensorLike): Tensor => {
  const ta = lift(a, cond);
  const tb = lift(b, cond);
  sameBackendAndDtype('where', cond, ta, tb);
  const outShape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const out = new Tensor(cond.backend, cond.backend.where(cond.handle, cond.shape, ta.handle, ta.shape, tb.handle, tb.shape, outShape), outShape);
  return record(out, 'where', [ta, tb], { cond });
};
