/**
 * The gpujs backend in WebGPU mode in a browser: the engine runs in a dedicated Worker of a
 * cross-origin isolated page, the WebGPU device in a second worker (device-worker.ts, bundled as
 * `device-worker.js` beside this code unless `workerUrl` says where). Rejects with a
 * BackendError saying what is missing (main thread, no isolation, no adapter).
 */
import { webGpuBackendOn, type WebGpuBackend } from './backend-on-link.js';
import { openBrowserLink } from './link-browser.js';

export type { WebGpuBackend } from './backend-on-link.js';
export { browserWebGpuObstacle } from './link-browser.js';

export const createWebGpuBackendBrowser = async (opts: { log?: (m: string) => void; workerUrl?: URL | string } = {}): Promise<WebGpuBackend> =>
  webGpuBackendOn(await openBrowserLink(opts.workerUrl), 'device worker', opts.log);
