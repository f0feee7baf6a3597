/** Constant buffers. */
import type { GpuHandle, Runtime } from './runtime.js';

/** A buffer of one value (an argument: fill(0), fill(1), lifted scalars share one kernel). */
export const fill = (rt: Runtime, size: number, value: number): GpuHandle => rt.run(['v'], '  return v;', size, [value]);
