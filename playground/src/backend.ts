/**
 * The page's backend, through the library's selection: 'auto' is GPU.js on WebGL2 where the
 * browser has it, else the CPU backend; the CPU backend runs its kernels on Web Workers when the
 * page is cross-origin isolated (SharedArrayBuffer), else on the page's one thread.
 */
import { createCpuBackendAsync, selectBackend, useBackend, type Backend } from '../../entries/index.js';
import { probe } from './probe.js';

let current: { key: string; backend: Backend } | null = null;

export const pageBackend = async (request: 'auto' | 'cpu' | 'gpujs', threads: number): Promise<Backend> => {
  const key = `${request}/${threads}`;
  if (current?.key === key) return current.backend;
  const log = (m: string) => probe.log.push(m);
  const backend = request === 'cpu' && threads > 0 ? await createCpuBackendAsync({ threads }) : await selectBackend(request, log);
  useBackend(backend);
  current = { key, backend };
  probe.backend = {
    name: backend.name,
    kernelClass: backend.kernelClass,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    ...(threads > 0 ? { threads } : {}),
  };
  const el = document.getElementById('backend');
  if (el)
    el.textContent = `backend: ${backend.name} (${backend.kernelClass})${globalThis.crossOriginIsolated ? ', cross-origin isolated' : ', not cross-origin isolated: one thread'}`;
  return backend;
};

/** The backend chosen last (the transport and predict views reuse it), or a new one by 'auto'. */
export const someBackend = async (): Promise<Backend> => current?.backend ?? pageBackend('auto', 0);
