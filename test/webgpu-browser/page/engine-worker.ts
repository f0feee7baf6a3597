/**
 * The engine's worker in the test page (bundled as engine-worker.js; the page's main thread
 * cannot block on reads, a dedicated worker can). It selects `gpujs` the way a program does,
 * runs the shared backend conformance suite on what it got (kernels/conformance/backend.test-helpers.ts, its
 * `vitest` mapped to vitest-shim.ts), and the checks of checks.ts on it and on the CPU backend,
 * and posts everything to the page.
 */
import { createCpuBackend } from '../../../kernels/cpu/cpu-backend.js';
import { describeBackendConformance } from '../../../kernels/conformance/backend.test-helpers.js';
import { selectBackend } from '../../../kernels/select.js';
import type { Backend } from '../../../lib/backend/backend.js';
import { al64Grads, checkpointRound, toyStep } from './checks.js';
import { runAll } from './vitest-shim.js';

const post = (globalThis as unknown as { postMessage: (m: unknown) => void }).postMessage;

const timed = <A>(ms: Record<string, number>, name: string, f: () => A): A => {
  const t0 = performance.now();
  const r = f();
  ms[name] = performance.now() - t0;
  return r;
};

const main = async (): Promise<void> => {
  const logs: string[] = [];
  const ckpt = new Uint8Array(await (await fetch('checkpoint.safetensors')).arrayBuffer());
  const gpu = await selectBackend('gpujs', (m) => logs.push(m));
  const info = { name: gpu.name, kernelClass: gpu.kernelClass, renderer: (gpu as { renderer?: string | null }).renderer ?? null };
  describeBackendConformance(() => gpu, { tolerance: 1e-4, label: `gpujs/${gpu.kernelClass}` });
  const conformance = await runAll();
  const cpu = createCpuBackend({ threads: 1 });
  const ms: Record<string, number> = {};
  const on = (b: Backend, tag: string) => ({
    al64: timed(ms, `${tag} al64`, () => al64Grads(b)),
    elim: timed(ms, `${tag} elimStep`, () => toyStep(b, 'elim')),
    baseline: timed(ms, `${tag} baselineStep`, () => toyStep(b, 'baseline')),
    checkpoint: timed(ms, `${tag} checkpoint`, () => checkpointRound(b, ckpt)),
  });
  const results = { gpu: on(gpu, 'gpu'), cpu: on(cpu, 'cpu') };
  const stats = (gpu as { stats?: unknown }).stats ?? null;
  (gpu as { destroy?: () => void }).destroy?.();
  (cpu as { destroy?: () => void }).destroy?.();
  post({ ok: true, info, logs, conformance, results, ms, stats, crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated });
};

main().catch((e: unknown) => post({ ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }));
