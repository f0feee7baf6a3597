/** Installs the backend a command asked for, and says in the run's events which kernel class it got. */
import { useBackend } from '../../lib/backend/current.js';
import type { Backend } from '../../lib/backend/backend.js';
import { selectBackend } from '../../kernels/select.js';
import type { EventSink } from './events.js';

export const installBackend = async (request: 'auto' | 'cpu' | 'gpujs', events: EventSink): Promise<Backend> => {
  const env = process.env.ELIM_BACKEND;
  const chosen = request === 'auto' && (env === 'cpu' || env === 'gpujs') ? env : request;
  const b = await selectBackend(chosen, (m) => events.info(m));
  useBackend(b);
  const renderer = (b as { renderer?: string | null }).renderer; // GL renderer or WebGPU adapter (gpujs)
  events.emit({ event: 'backend', requested: chosen, name: b.name, kernelClass: b.kernelClass, ...(renderer ? { renderer } : {}) });
  if (b.name === 'gpujs' && !/GL|WebGPU/i.test(b.kernelClass))
    events.warn(
      `GPU.js has no GL context here and runs as ${b.kernelClass} on the CPU (slow); run under xvfb-run -a with the gl module built, or use --backend cpu`,
    );
  return b;
};
