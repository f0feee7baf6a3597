/**
 * A user's page, bundled by Vite (vite-bundle.test.ts): the engine runs in a module worker (the
 * WebGPU mode blocks on reads, which a page's main thread may not), its answer lands on
 * window.__elim.
 */
const w = globalThis as unknown as {
  __elim?: unknown;
  Worker: new (u: URL, o: object) => { onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: { message?: string }) => void) | null };
};
const Worker = w.Worker;
const engine = new Worker(new URL('./engine.ts', import.meta.url), { type: 'module' });
engine.onmessage = (e) => (w.__elim = e.data);
engine.onerror = (e) => (w.__elim = { error: `engine worker: ${e.message ?? 'failed to load'}` });
