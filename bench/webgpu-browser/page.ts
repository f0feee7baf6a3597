/**
 * The browser bench's engine worker (bundled by bench/webgpu-browser.ts; runs in a dedicated
 * worker of a cross-origin isolated page): the workloads of webgpu-workloads.ts on the gpujs
 * WebGPU mode (its device in a second worker), then on tfjs-webgpu in this same worker, one after
 * the other in one page. Settings come in the URL's query; progress lines and the rows are posted.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { createWebGpuBackendBrowser } from '../../kernels/gpujs/webgpu/backend-browser.js';
import { runTfjsTrain } from '../anchors/tfjs-train.js';
import { specFlops, specName } from '../anchors/kernel-specs.js';
import { oursAl64, oursKernel, tfjsKernel, webgpuSpecs, type Plan } from '../webgpu-workloads.js';

const post = (globalThis as unknown as { postMessage: (m: unknown) => void }).postMessage;
const say = (line: string) => post({ line });

/** One measured workload: milliseconds per run on each engine (null: it failed, with why). */
export interface PageRow {
  workload: string;
  unit: 'GFLOP/s' | 'img/s';
  /** GFLOP or images per run (the figure is amount / seconds). */
  amount: number;
  ours: number | null;
  tfjs: number | null;
  note?: string;
}

const main = async (): Promise<void> => {
  const q = new URLSearchParams((globalThis as unknown as { location: { search: string } }).location.search);
  const quick = q.get('quick') === '1';
  const batch = Number(q.get('batch') ?? 64);
  const convBatch = Number(q.get('convBatch') ?? 64);
  const plan: Plan = { warmup: 1, reps: Number(q.get('reps') ?? 3) };
  const al64 = q.get('al64') !== '0';
  const specs = webgpuSpecs(quick, convBatch);
  const rows: PageRow[] = specs.map((s) => ({
    workload: specName(s),
    unit: 'GFLOP/s',
    amount: specFlops(s) / 1e9,
    ours: null,
    tfjs: null,
  }));
  const al64Rows: PageRow[] = al64
    ? [
        { workload: `AL64 training step b${batch}`, unit: 'img/s', amount: batch, ours: null, tfjs: null },
        { workload: `AL64 inference b${batch}`, unit: 'img/s', amount: batch, ours: null, tfjs: null },
      ]
    : [];
  const ours = await createWebGpuBackendBrowser({ log: say });
  for (const [i, s] of specs.entries()) {
    rows[i].ours = await oursKernel(ours, s, plan);
    say(`gpujs-webgpu ${rows[i].workload}: ${rows[i].ours!.toFixed(1)} ms`);
  }
  let reads: number | undefined;
  if (al64) {
    const step = await oursAl64(ours, 'baseline', batch, plan);
    reads = step.readsPerStep;
    al64Rows[0].ours = step.ms;
    al64Rows[1].ours = (await oursAl64(ours, 'infer', batch, plan)).ms;
    say(`gpujs-webgpu AL64 step ${step.ms.toFixed(0)} ms (reads per step: ${reads}), inference ${al64Rows[1].ours.toFixed(0)} ms`);
  }
  const adapter = ours.adapter;
  ours.destroy();

  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend(webgpu) failed in the page');
  await tf.ready();
  for (const [i, s] of specs.entries()) {
    rows[i].tfjs = await tfjsKernel(tf, s, plan);
    say(`tfjs-webgpu ${rows[i].workload}: ${rows[i].tfjs!.toFixed(1)} ms`);
  }
  for (const [r, workload] of al64Rows.map((r, i) => [r, i === 0 ? 'baseline' : 'infer'] as const)) {
    try {
      tf.disposeVariables(); // runTfjsTrain names its variables: a second model in one page needs the first one's gone
      r.tfjs = (await runTfjsTrain({ backend: 'webgpu', workload, batch, warmup: plan.warmup, reps: plan.reps })).timing.medianMs;
      say(`tfjs-webgpu ${r.workload}: ${r.tfjs.toFixed(0)} ms`);
    } catch (e) {
      r.note = `tfjs-webgpu: ${String(e)}`;
    }
  }
  post({
    done: true,
    adapter,
    readsPerStep: reads,
    rows: [...rows, ...al64Rows],
    userAgent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
  });
};

main().catch((e: unknown) => post({ error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) }));
