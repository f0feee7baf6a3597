/** Making tensors: from data, constants, random (with an explicit Rng). */
import type { Backend } from '../backend/backend.js';
import { currentBackend } from '../backend/current.js';
import { EngineError, fmtShape } from '../errors.js';
import { arrayFor, type DType, type TypedArray } from '../tensor/dtype.js';
import { checkShape, sizeOf, type Shape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Rng } from '../rng/rng.js';

export interface CreateOptions {
  readonly dtype?: DType;
  readonly backend?: Backend;
  /** A leaf whose gradient is wanted (a parameter). */
  readonly requiresGrad?: boolean;
}

const backendFor = (o?: CreateOptions, dtype: DType = 'float32') => {
  const b = o?.backend ?? currentBackend();
  if (!b.dtypes.includes(dtype)) throw new EngineError('DTypeError', 'tensor', `backend '${b.name}' has no ${dtype} (it has ${b.dtypes.join(', ')})`);
  return b;
};

/** A tensor from flat row-major values (copied). Non-finite values are allowed here; ops that need finite input check. */
export const tensor = (values: ArrayLike<number>, shape: Shape, o?: CreateOptions): Tensor => {
  checkShape('tensor', shape);
  if (values.length !== sizeOf(shape))
    throw new EngineError('ShapeError', 'tensor', `${values.length} values do not fill shape ${fmtShape(shape)} (${sizeOf(shape)} needed)`);
  const dtype = o?.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  const b = backendFor(o, dtype);
  const data: TypedArray = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(b, b.upload(data), [...shape], o?.requiresGrad ?? false);
};

export const scalar = (v: number, o?: CreateOptions) => tensor([v], [], o);

export const full = (shape: Shape, value: number, o?: CreateOptions): Tensor => {
  checkShape('full', shape);
  const dtype = o?.dtype ?? 'float32';
  const b = backendFor(o, dtype);
  return new Tensor(b, b.fill(sizeOf(shape), value, dtype), [...shape], o?.requiresGrad ?? false);
};

export const zeros = (shape: Shape, o?: CreateOptions) => full(shape, 0, o);
export const ones = (shape: Shape, o?: CreateOptions) => full(shape, 1, o);

/** Same shape, dtype and backend as x, filled with `value` (default 1). */
export const onesLike = (x: Tensor, value = 1) => full(x.shape, value, { dtype: x.dtype, backend: x.backend });
export const zerosLike = (x: Tensor) => onesLike(x, 0);

export const randomUniform = (shape: Shape, rng: Rng, lo = 0, hi = 1, o?: CreateOptions): Tensor => {
  const a = arrayFor(o?.dtype ?? 'float32', sizeOf(shape));
  rng.fillUniform(a, lo, hi);
  return tensor(a, shape, { ...o, dtype: o?.dtype ?? 'float32' });
};

export const randomNormal = (shape: Shape, rng: Rng, mean = 0, std = 1, o?: CreateOptions): Tensor => {
  const a = arrayFor(o?.dtype ?? 'float32', sizeOf(shape));
  rng.fillNormal(a, mean, std);
  return tensor(a, shape, { ...o, dtype: o?.dtype ?? 'float32' });
};
