// Browser: ?backend=cpu (two threads when the page is cross-origin isolated, else one) or
// ?backend=auto (GPU.js on WebGL2 where the page has it); the checkpoint comes over fetch with
// progress. The result (or the error) is left on window.__elim for the test to read.
import { createCpuBackendAsync, loadTrainedModelFromUrl, selectBackend, useBackend, type Backend } from 'elim-ts';
import { runProgram } from './program.js';

const w = window as unknown as { __elim?: unknown };
const logs: string[] = [];
const progress: number[] = [];

async function start(): Promise<void> {
  const request = new URLSearchParams(location.search).get('backend') ?? 'cpu';
  const backend: Backend = request === 'cpu' ? await createCpuBackendAsync({ threads: 2 }) : await selectBackend(request, (m) => logs.push(m));
  useBackend(backend);
  const result = await runProgram(backend, (b) => loadTrainedModelFromUrl('checkpoint.safetensors', b, { onProgress: (p) => progress.push(p.loaded) }));
  w.__elim = { ok: true, result, crossOriginIsolated: globalThis.crossOriginIsolated, progress, logs };
}

start().catch((e: unknown) => {
  w.__elim = { ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e), logs };
});
