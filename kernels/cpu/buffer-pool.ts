/**
 * Typed-array storage for the CPU backend, allocated over SharedArrayBuffer where the host
 * allows it (Node; a cross-origin isolated page) so a worker pool can read and write the same
 * memory without copies (plain ArrayBuffers elsewhere: one thread), and recycled by (dtype, length): touching
 * fresh 4 KiB pages costs ~11 µs each here, so a training step that reallocates the same
 * shapes every iteration should find them in the pool instead.
 *
 * A recycled buffer holds stale values: callers that need zeros ask for them (`zeroed`).
 */
import type { DType, TypedArray } from '../../lib/tensor/dtype.js';
import { newBuffer } from './threads/host.js';

export interface BufferPoolOptions {
  /** Bytes kept in free lists at most; beyond that released buffers are dropped to the GC. */
  readonly maxRetainedBytes?: number;
}

const bytesPer = (dtype: DType) => (dtype === 'float64' ? 8 : 4);

export class BufferPool {
  private readonly free = new Map<string, TypedArray[]>();
  private retained = 0;
  private readonly maxRetained: number;
  /** Counters, for tests and benchmarks. */
  readonly stats = { allocated: 0, reused: 0 };

  constructor(o: BufferPoolOptions = {}) {
    this.maxRetained = o.maxRetainedBytes ?? 512 * 1024 * 1024;
  }

  acquire(dtype: DType, length: number, zeroed = false): TypedArray {
    const list = this.free.get(key(dtype, length));
    const reused = list?.pop();
    if (reused) {
      this.retained -= reused.byteLength;
      this.stats.reused++;
      if (zeroed) reused.fill(0);
      return reused;
    }
    this.stats.allocated++;
    const sab = newBuffer(length * bytesPer(dtype));
    return dtype === 'float64' ? new Float64Array(sab) : new Float32Array(sab); // fresh memory is zero
  }

  /** Gives a buffer back for reuse; the caller must not touch it afterwards. */
  recycle(buf: TypedArray): void {
    if (this.retained + buf.byteLength > this.maxRetained) return;
    const k = key(buf instanceof Float64Array ? 'float64' : 'float32', buf.length);
    let list = this.free.get(k);
    if (!list) this.free.set(k, (list = []));
    list.push(buf);
    this.retained += buf.byteLength;
  }

  retainedBytes(): number {
    return this.retained;
  }

  /** Drops every free buffer (memory goes back to the GC). */
  clear(): void {
    this.free.clear();
    this.retained = 0;
  }
}

const key = (dtype: DType, length: number) => `${dtype}:${length}`;
