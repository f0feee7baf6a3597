/**
 * An n-d tensor: a backend handle plus shape and dtype, and (when it was produced by a
 * differentiable op while gradients are recorded) the tape node that made it. Tensors are
 * immutable values; ops return new tensors. Memory is released by scopes (lib/tensor/scope.ts)
 * or by `dispose()`, never by the garbage collector.
 */
import type { Backend, DataHandle } from '../backend/backend.js';
import { EngineError } from '../errors.js';
import type { DType, TypedArray } from './dtype.js';
import { fmtShape } from '../errors.js';
import { sizeOf, type Shape } from './shape.js';
import { track } from './scope.js';

/** One recorded application of a differentiable op (see lib/autograd/vjp-table.ts). */
export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** What the op's gradient rule needs beyond inputs and output (axes, attrs, masks...). */
  readonly saved: Readonly<Record<string, unknown>>;
}

let nextId = 1;

/** Views (reshape) share a handle: it is released when its last tensor is. */
const handleRefs = new Map<DataHandle, number>();

export class Tensor {
  readonly id = nextId++;
  private released = false;
  /** Set by the tape when recorded; cleared when the tensor leaves its scope (so it never pins freed inputs). */
  node: TapeNode | null = null;

  constructor(
    readonly backend: Backend,
    private readonly data: DataHandle,
    readonly shape: Shape,
    /** Leaves the user wants gradients for (parameters). */
    readonly requiresGrad = false,
  ) {
    if (data.size !== sizeOf(shape)) {
      throw new EngineError('ShapeError', 'Tensor', `data holds ${data.size} elements but shape ${fmtShape(shape)} needs ${sizeOf(shape)}`);
    }
    handleRefs.set(data, (handleRefs.get(data) ?? 0) + 1);
    track(this);
  }

  get dtype(): DType {
    return this.data.dtype;
  }
  get size(): number {
    return this.data.size;
  }
  get rank(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.released;
  }

  /** The backend handle; throws a DisposedError if the tensor was released. */
  get handle(): DataHandle {
    if (this.released) throw new EngineError('DisposedError', 'Tensor', `tensor #${this.id} ${fmtShape(this.shape)} was released`);
    return this.data;
  }

  /** True if gradients flow into this tensor (a leaf that asks for them or a recorded op output). */
  get tracksGrad(): boolean {
    return this.requiresGrad || this.node !== null;
  }

  /** A copy of the values (row-major). */
  toArray(): TypedArray {
    return this.backend.download(this.handle);
  }

  /** The values without blocking on the device (tfjs's `data()`); equal to `toArray()`. */
  async toArrayAsync(): Promise<TypedArray> {
    const h = this.handle;
    return this.backend.downloadAsync ? this.backend.downloadAsync(h) : this.backend.download(h);
  }

  /** The single value of a one-element tensor, awaited (see `toArrayAsync`). */
  async itemAsync(): Promise<number> {
    if (this.size !== 1) throw new EngineError('ShapeError', 'itemAsync', `tensor has ${this.size} elements, not 1 (shape ${fmtShape(this.shape)})`);
    return (await this.toArrayAsync())[0];
  }

  /** Nested JS arrays, for printing and JSON. */
  toNested(): unknown {
    const flat = Array.from(this.toArray());
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) return flat[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new EngineError('ShapeError', 'item', `tensor has ${this.size} elements, not 1 (shape ${fmtShape(this.shape)})`);
    return this.toArray()[0];
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.node = null;
    const refs = (handleRefs.get(this.data) ?? 1) - 1;
    if (refs > 0) handleRefs.set(this.data, refs);
    else {
      handleRefs.delete(this.data);
      this.backend.release(this.data);
    }
  }

  toString(): string {
    return `Tensor#${this.id}(${fmtShape(this.shape)}, ${this.dtype}, ${this.backend.name})`;
  }
}
