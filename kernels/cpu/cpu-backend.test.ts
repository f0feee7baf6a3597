/** CPU-backend specifics the conformance suite does not cover: float64, the buffer pool, handle life cycle. */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../lib/errors.js';
import { Rng } from '../../lib/rng/rng.js';
import { BufferPool } from './buffer-pool.js';
import { createCpuBackend } from './cpu-backend.js';
import * as R from './reference/index.js';

describe('cpu backend', () => {
  it('names what it is', () => {
    // the thread count obtained, and what the heavy float32 kernels run on (WebAssembly SIMD or the TypeScript path, with why)
    expect(createCpuBackend({ threads: 1 }).kernelClass).toMatch(/^cpu-ts\(1 thread; heavy: (wasm-simd128 .+|ts-fast \(wasm off: .+\))\)$/);
    const b = createCpuBackend({ threads: 2 });
    expect(b.kernelClass).toMatch(/^cpu-ts\(2 threads; heavy: /);
    expect(b.name).toBe('cpu');
    expect(b.dtypes).toEqual(['float32', 'float64']);
  });

  it('float64 runs the reference exactly (matmul and conv included)', () => {
    const b = createCpuBackend();
    const rng = Rng.fromSeed(5);
    const x = new Float64Array(2 * 3 * 5 * 4),
      w = new Float64Array(4 * 3 * 2 * 2);
    rng.fillNormal(x);
    rng.fillNormal(w);
    const a = { stride: [1, 2] as [number, number], pad: [1, 0] as [number, number] };
    const y = b.conv2d(b.upload(x), [2, 3, 5, 4], b.upload(w), [4, 3, 2, 2], a);
    expect(y.dtype).toBe('float64');
    expect(Array.from(b.download(y))).toEqual(Array.from(R.refConv2d(x, [2, 3, 5, 4], w, [4, 3, 2, 2], a)));
    const m = b.matmul(b.upload(x.subarray(0, 12)), [1, 3, 4], b.upload(w.subarray(0, 8)), [1, 4, 2], false, false);
    expect(Array.from(b.download(m))).toEqual(Array.from(R.refMatmul(x.subarray(0, 12), [1, 3, 4], w.subarray(0, 8), [1, 4, 2], false, false)));
  });

  it('buffers live in SharedArrayBuffers and are reused after release', () => {
    const pool = new BufferPool();
    const b = createCpuBackend({ pool });
    const h = b.fill(1000, 3, 'float32');
    expect(b.dataOf(h).buffer).toBeInstanceOf(SharedArrayBuffer);
    const first = b.dataOf(h);
    b.release(h);
    const h2 = b.fill(1000, 7, 'float32');
    expect(b.dataOf(h2)).toBe(first); // same memory, refilled
    expect(b.download(h2)[999]).toBe(7);
    expect(pool.stats).toEqual({ allocated: 1, reused: 1 });
    // a recycled buffer is zeroed where a kernel accumulates (padInto, scatterAdd)
    b.release(h2);
    const g = b.upload(Float32Array.from([1, 2]));
    const s = b.scatterAdd(g, [2, 1], Int32Array.from([0, 0]), 1000);
    expect(b.download(s)[999]).toBe(0);
    expect(b.download(s)[0]).toBe(3);
  });

  it('counts live handles; download is an unshared copy; release twice / use after release throw', () => {
    const b = createCpuBackend();
    const h = b.upload(Float64Array.from([1, 2, 3]));
    expect(b.liveHandles()).toBe(1);
    const d = b.download(h);
    expect(d).toBeInstanceOf(Float64Array);
    expect(d.buffer).toBeInstanceOf(ArrayBuffer);
    d[0] = 99;
    expect(b.download(h)[0]).toBe(1);
    b.release(h);
    expect(b.liveHandles()).toBe(0);
    expect(() => b.release(h)).toThrow(EngineError);
    expect(() => b.download(h)).toThrow(/after release/);
  });

  it('cast converts between float32 and float64', () => {
    const b = createCpuBackend();
    const h = b.cast(b.upload(Float64Array.from([1 / 3])), 'float32');
    expect(h.dtype).toBe('float32');
    expect(b.download(h)[0]).toBe(Math.fround(1 / 3));
  });
});
