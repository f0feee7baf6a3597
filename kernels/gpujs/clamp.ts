/** Clamp to [lo, hi] elementwise. */
import type { GpuHandle, Runtime } from './runtime.js';

/** Clamp to [lo, hi]; the bounds are arguments so each new pair does not compile a kernel. */
export const clamp = (rt: Runtime, x: GpuHandle, lo: number, hi: number): GpuHandle =>
  rt.run(['a', 'lo', 'hi'], '  const x = a[this.thread.y][this.thread.x];\n  return Math.min(Math.max(x, lo), hi);', x.size, [x, lo, hi]);
