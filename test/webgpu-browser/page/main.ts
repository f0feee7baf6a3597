/**
 * The test page's own script: starts the engine worker (a module worker, bundled beside this
 * file) and leaves its answer, or the error, on window.__elim for the test to read. With
 * `?main=1` it also asks for gpujs on the main thread, which must fall back to WebGL2 and say why.
 */
import { selectBackend } from '../../../kernels/select.js';

type Win = {
  __elim?: unknown;
  __main?: unknown;
  Worker: new (u: URL, o: object) => { onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: { message?: string }) => void) | null };
};
const w = globalThis as unknown as Win;

const onMain = async () => {
  const logs: string[] = [];
  const b = await selectBackend('gpujs', (m) => logs.push(m));
  const r = { kernelClass: b.kernelClass, logs };
  (b as { destroy?: () => void }).destroy?.();
  return r;
};

if (new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search).get('main') === '1')
  onMain().then(
    (r) => (w.__main = r),
    (e: unknown) => (w.__main = { error: String(e) }),
  );
const worker = new w.Worker(new URL('./engine-worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => (w.__elim = e.data);
worker.onerror = (e) => (w.__elim = { ok: false, error: `engine worker: ${e.message ?? 'failed to load'}` });
