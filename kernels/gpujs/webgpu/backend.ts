/**
 * The gpujs backend in WebGPU mode in Node: Dawn (the `webgpu` package) on a worker thread
 * (link-node.ts). Opening it blocks until the adapter answers, or throws a BackendError naming
 * what is missing. In a browser: backend-browser.ts.
 */
import type { GpujsBackendOptions } from '../gpujs-backend.js';
import { webGpuBackendOn, type WebGpuBackend } from './backend-on-link.js';
import { openNodeLink } from './link-node.js';

export type { WebGpuBackend } from './backend-on-link.js';

export const createWebGpuBackend = (opts: Pick<GpujsBackendOptions, 'log'> = {}): WebGpuBackend =>
  webGpuBackendOn(openNodeLink(), 'Dawn, device thread', opts.log);
