/** Device-side copies. */
import type { GpuHandle, Runtime } from './runtime.js';

/** A device-side copy (cast to float32, the only dtype here). */
export const copy = (rt: Runtime, x: GpuHandle): GpuHandle => rt.run(['a'], '  return a[this.thread.y][this.thread.x];', x.size, [x]);
