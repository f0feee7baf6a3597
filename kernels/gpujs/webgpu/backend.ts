/**
 * The gpujs backend in WebGPU mode: the same op table as the GL path (createGpujsBackend with an
 * injected runtime), on the WebGPU runtime, plus the awaitable read. Node only (the runtime
 * owns Dawn on a worker thread); in a browser the GL modes are what the gpujs backend offers.
 */
import { createGpujsBackend, type GpujsBackend, type GpujsBackendOptions } from '../gpujs-backend.js';
import type { DataHandle } from '../../../lib/backend/backend.js';
import { EngineError } from '../../../lib/errors.js';
import { GpuHandle } from '../runtime.js';
import { WebGpuRuntime, type WebGpuStats } from './runtime.js';

export interface WebGpuBackend extends GpujsBackend {
  /** The adapter Dawn gave, e.g. 'google / swiftshader / ... / SwiftShader Device (Subzero)'. */
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

export const createWebGpuBackend = (opts: Omit<GpujsBackendOptions, 'mode' | 'requireGL'> = {}): WebGpuBackend => {
  const rt = new WebGpuRuntime();
  const base = createGpujsBackend({ runtime: rt, log: () => {} });
  (opts.log ?? ((m: string) => console.info(m)))(`[gpujs] mode 'webgpu': kernel class WebGPUKernel on ${rt.adapter} (Dawn, device thread)`);
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
