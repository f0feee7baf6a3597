/** The browser bench page's script: starts the engine worker with the page's query, relays its lines to the console, keeps its answer on window.__bench. */
type W = {
  __bench?: unknown;
  location: { search: string };
  Worker: new (u: URL, o: object) => { onmessage: ((e: { data: unknown }) => void) | null; onerror: ((e: { message?: string }) => void) | null };
};
const w = globalThis as unknown as W;
const worker = new w.Worker(new URL(`./page.js${w.location.search}`, import.meta.url), { type: 'module' });
worker.onmessage = (e) => {
  const m = e.data as { line?: string };
  if (m.line) console.log(m.line);
  else w.__bench = m;
};
worker.onerror = (e) => (w.__bench = { error: `bench worker: ${e.message ?? 'failed to load'}` });
