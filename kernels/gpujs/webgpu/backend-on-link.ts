/**
 * The gpujs backend in WebGPU mode on a device link: the same op table as the GL path
 * (createGpujsBackend with an injected runtime), on the WebGPU runtime, plus the awaitable read.
 * Platform-free: backend.ts opens it on Node's Dawn thread, backend-browser.ts on a Web Worker.
 */
import { createGpujsBackend, type GpujsBackend } from '../gpujs-backend.js';
import type { DataHandle } from '../../../lib/backend/backend.js';
import { EngineError } from '../../../lib/errors.js';
import { GpuHandle } from '../runtime.js';
import type { DeviceLink } from './link.js';
import { WebGpuRuntime, type WebGpuStats } from './runtime.js';

export interface WebGpuBackend extends GpujsBackend {
  /** The adapter the device thread got, e.g. 'google / swiftshader / ... / SwiftShader Device (Subzero)'. */
  readonly adapter: string;
  /** Ops posted, kernels compiled, reads (sync and async) so far. */
  readonly stats: WebGpuStats;
  downloadAsync(h: DataHandle): Promise<Float32Array>;
}

const own = (x: DataHandle): GpuHandle => {
  if (!(x instanceof GpuHandle)) throw new EngineError('BackendError', 'gpujs', 'handle does not belong to the gpujs backend');
  if (x.released) throw new EngineError('DisposedError', 'gpujs', 'handle used after release');
  return x;
};

export const webGpuBackendOn = (link: DeviceLink, where: string, log: (m: string) => void = (m) => console.info(m)): WebGpuBackend => {
  const rt = new WebGpuRuntime(link);
  const base = createGpujsBackend({ runtime: rt, log: () => {} });
  log(`[gpujs] mode 'webgpu': kernel class WebGPUKernel on ${rt.adapter} (${where})`);
  return {
    ...base,
    mode: 'webgpu',
    kernelClass: 'WebGPUKernel',
    renderer: rt.adapter,
    adapter: rt.adapter,
    stats: rt.stats,
    downloadAsync: (x) => rt.downloadAsync(own(x)),
  };
};
