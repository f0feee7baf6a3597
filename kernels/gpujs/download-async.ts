/**
 * A non-blocking read for the gpujs backend on WebGL2 (`Backend.downloadAsync`). A synchronous
 * read of a pipeline texture stalls the page in readPixels until the GPU has caught up; GPU.js
 * 2.24's `asyncMode` kernels on WebGL2 instead read through a pixel-pack buffer behind a fence
 * and resolve when it has signalled. So the async read is one identity kernel per buffer layout,
 * not pipelined, in asyncMode, taking the texture. Elsewhere (headless GL, WebAssembly, cpu) GPU.js
 * would only resolve its synchronous result, so those backends keep `download` (null here).
 */
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import type { GpuHandle } from './runtime.js';

/** The kernel class whose readback GPU.js makes asynchronous. */
export const ASYNC_READ_CLASS = 'WebGL2Kernel';

type Rows = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Flat row-major values of a handle's [w, h] layout, the padding cut off. */
const flatten = (rows: Rows, hd: GpuHandle): Float32Array => {
  const out = new Float32Array(hd.size);
  if (typeof (rows as ArrayLike<number>)[0] === 'number') {
    out.set(Array.prototype.slice.call(rows, 0, hd.size) as number[]);
    return out;
  }
  const rr = rows as ArrayLike<ArrayLike<number>>;
  const { w } = hd.layout;
  for (let y = 0, off = 0; off < hd.size; y++, off += w) {
    const row = rr[y]!;
    const n = Math.min(w, hd.size - off);
    for (let x = 0; x < n; x++) out[off + x] = row[x]!;
  }
  return out;
};

/** The async reader for a backend whose kernels compiled to `kernelClass`, or null where reads stay synchronous. */
export const asyncReader = (gpu: GPU, kernelClass: string): ((hd: GpuHandle) => Promise<Float32Array>) | null => {
  if (kernelClass !== ASYNC_READ_CLASS) return null;
  const kernels = new Map<string, IKernelRunShortcut>();
  return async (hd) => {
    if (!hd.data) return new Float32Array(hd.size);
    const { w, h } = hd.layout;
    const key = `${w}x${h}`;
    let k = kernels.get(key);
    if (!k) {
      const options = { output: [w, h], pipeline: false, asyncMode: true, tactic: 'precision', precision: 'single' };
      k = gpu.createKernel('function (a) { return a[this.thread.y][this.thread.x]; }', options as Parameters<GPU['createKernel']>[1]);
      kernels.set(key, k);
    }
    const rows = (await (k(hd.data as never) as unknown as Promise<Rows>)) as Rows;
    return flatten(rows, hd);
  };
};
