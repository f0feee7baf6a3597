/**
 * Chooses the backend for a run. 'auto' takes GPU.js when it runs on a GL context (a real GPU,
 * Mesa, or WebGL2 in a browser), else the CPU backend (fast float32 kernels on as many threads as
 * they obtain). A backend named explicitly ('cpu', 'gpujs') is that backend or a BackendError:
 * never a silent fallback. The request defaults to env ELIM_BACKEND (Node), else 'auto'. The
 * kernel class obtained is logged.
 *
 * gpu.js is an optional peer dependency: the gpujs backend module (which imports it) is loaded
 * only when asked for, through a literal import path that bundlers follow; when gpu.js is not
 * installed the error says what to install.
 */
import type { Backend } from '../lib/backend/backend.js';
import { EngineError } from '../lib/errors.js';
import { createCpuBackendAsync } from './cpu/cpu-backend.js';
import { envVar, isNode } from './cpu/threads/host.js';

export type BackendRequest = 'auto' | 'cpu' | 'gpujs';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'cpu', 'gpujs'];

/** What select needs from kernels/gpujs (loaded lazily: gpu.js is an optional peer dependency). */
export interface GpujsModule {
  createGpujsBackend(opts?: { requireGL?: boolean; log?: (msg: string) => void }): Backend | Promise<Backend>;
  /** `--backend gpujs`: WebGPU where an adapter answers, else GL (ELIM_GPUJS_MODE=auto|webgpu|webgl forces one). */
  createGpujsBackendAuto?(opts?: { log?: (msg: string) => void }): Promise<Backend>;
}

/** The version of gpu.js the gpujs backend is written and tested against. */
const GPUJS_VERSION = '2.24.1';

const loadGpujsModule = async (): Promise<GpujsModule> => {
  try {
    return await import('./gpujs/gpujs-backend.js');
  } catch (err) {
    if (/gpu\.js/.test(reason(err)) && /not find|resolve|ERR_MODULE_NOT_FOUND/i.test(`${reason(err)} ${(err as { code?: string }).code ?? ''}`)) {
      throw new Error(`gpu.js is not installed (it is an optional peer dependency): npm install gpu.js@${GPUJS_VERSION}`, { cause: err });
    }
    throw err;
  }
};

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** True in a browser page or worker (where GPU.js gets WebGL2 without headless-gl). */
const inBrowser = (): boolean => !isNode() && typeof (globalThis as { document?: unknown; WorkerGlobalScope?: unknown }).document !== 'undefined';

/** The selector with its gpujs loader injected (tests pass a loader that fails). */
export const makeSelectBackend =
  (loadGpujs: () => Promise<GpujsModule> = loadGpujsModule) =>
  async (request: string = envVar('ELIM_BACKEND') ?? 'auto', log: (msg: string) => void = (m) => console.info(m)): Promise<Backend> => {
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
          return createCpuBackendAsync();
        case 'gpujs':
          return gpujs(false, log);
        case 'auto':
          try {
            return await gpujs(true, () => {}); // its own fallback warnings are noise here: we log our choice
          } catch (err) {
            log(`[backend] auto: no GL-backed gpujs${inBrowser() ? ' (no WebGL2 here?)' : ''} (${reason(err)}); using the CPU backend`);
            return createCpuBackendAsync();
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
