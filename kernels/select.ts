/**
 * Chooses the backend for a run. 'auto' takes GPU.js when it runs on a GL context (a real GPU or
 * Mesa), else the CPU backend (fast float32 kernels on as many threads as they obtain). A backend
 * named explicitly ('cpu', 'gpujs') is that backend or a BackendError: never a silent fallback.
 * The request defaults to env ELIM_BACKEND, else 'auto'. The kernel class obtained is logged.
 */
import type { Backend } from '../lib/backend/backend.js';
import { EngineError } from '../lib/errors.js';
import { createCpuBackend } from './cpu/cpu-backend.js';

export type BackendRequest = 'auto' | 'cpu' | 'gpujs';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'cpu', 'gpujs'];

/** What select needs from kernels/gpujs (loaded lazily: gpu.js and headless-gl are heavy and may be missing). */
export interface GpujsModule {
  createGpujsBackend(opts?: { requireGL?: boolean; log?: (msg: string) => void }): Backend | Promise<Backend>;
  /** `--backend gpujs`: WebGPU where an adapter answers, else GL (ELIM_GPUJS_MODE=auto|webgpu|webgl forces one). */
  createGpujsBackendAuto?(opts?: { log?: (msg: string) => void }): Promise<Backend>;
}

const loadGpujsModule = async (): Promise<GpujsModule> => {
  const path = './gpujs/gpujs-backend.js'; // a variable: the build must not require the module to exist
  return (await import(path)) as GpujsModule;
};

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The selector with its gpujs loader injected (tests pass a loader that fails). */
export const makeSelectBackend =
  (loadGpujs: () => Promise<GpujsModule> = loadGpujsModule) =>
  async (request: string = process.env.ELIM_BACKEND ?? 'auto', log: (msg: string) => void = (m) => console.info(m)): Promise<Backend> => {
    const gpujs = async (requireGL: boolean, gpuLog: (msg: string) => void): Promise<Backend> => {
      let mod: GpujsModule;
      try {
        mod = await loadGpujs();
      } catch (err) {
        throw new EngineError('BackendError', 'selectBackend', `the gpujs backend could not be loaded (kernels/gpujs/gpujs-backend): ${reason(err)}`);
      }
      try {
        if (!requireGL && mod.createGpujsBackendAuto) return await mod.createGpujsBackendAuto({ log: gpuLog });
        return await mod.createGpujsBackend({ requireGL, log: gpuLog });
      } catch (err) {
        if (err instanceof EngineError) throw err;
        throw new EngineError('BackendError', 'selectBackend', `the gpujs backend failed to start: ${reason(err)}`);
      }
    };
    const chosen = async (): Promise<Backend> => {
      switch (request) {
        case 'cpu':
          return createCpuBackend();
        case 'gpujs':
          return gpujs(false, log);
        case 'auto':
          try {
            return await gpujs(true, () => {}); // its own fallback warnings are noise here: we log our choice
          } catch (err) {
            log(`[backend] auto: no GL-backed gpujs (${reason(err)}); using the CPU backend`);
            return createCpuBackend();
          }
        default:
          throw new EngineError('BackendError', 'selectBackend', `unknown backend '${request}' (expected one of ${BACKEND_REQUESTS.join(', ')})`);
      }
    };
    const b = await chosen();
    log(`[backend] ${request} -> ${b.name}: ${b.kernelClass}`);
    return b;
  };

/** selectBackend('auto' | 'cpu' | 'gpujs' = env ELIM_BACKEND ?? 'auto', log?) */
export const selectBackend: (request?: BackendRequest | string, log?: (msg: string) => void) => Promise<Backend> = makeSelectBackend();
