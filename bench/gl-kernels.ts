/**
 * The GL half of bench:kernels, run as a child process (bench/kernels.ts starts it under
 * `xvfb-run -a` when there is no display): our gpujs backend and TensorFlow.js's WebGL backend
 * (tfjs-backend-webgl 4.22 on its own headless-gl context: the same GL stack, Mesa llvmpipe
 * here) on the same workloads, each workload timed on both engines back to back so that both
 * see the same machine load:
 *   matmul 256/512/1024; conv2d forward, backward-input, backward-filter at the bench shape
 *   (b64 128->128 16x16 3x3) and the other three AL64 layer shapes at b64, 64 px input.
 * Engines: 'gpujs' (the backend as the trainer gets it: packed GEMM on GL), 'gpujs-direct'
 * (packedGemm: false, the one-output-per-thread kernels, the "before" figure: matmul 256/512
 * and the bench-shape forward convolution at batch 8 only, it is slow), 'tfjs-webgl'.
 * Every engine is timed as op + read-back (download / dataSync). Prints one JSON line at the end.
 */
import type { Backend } from '../lib/backend/backend.js';
import { backendCall, fillValue } from './lib/backend-call.js';
import { specFlops, specName, type ConvSpec, type KernelSpec } from './anchors/kernel-specs.js';
import { runTfjsKernels } from './anchors/tfjs-kernels.js';
import { gflops, timeSync, type Timing } from './lib/timing.js';

const quick = process.env.BENCH_QUICK === '1';
const N = quick ? 4 : 64;
const conv = (kind: ConvSpec['kind'], C: number, O: number, H: number, K: number): ConvSpec => ({ kind, N, C, O, H, W: H, K, pad: (K - 1) / 2 });
const KINDS: ConvSpec['kind'][] = ['conv2d-fwd', 'conv2d-bwd-input', 'conv2d-bwd-filter'];
/** The bench shape first, then AL64's other layers (conv 3->32 k5 at 64x64, 32->64 at 32x32, 64->128 at 16x16). */
const CONV_SHAPES: Array<[number, number, number, number]> = [
  [128, 128, 16, 3],
  [3, 32, 64, 5],
  [32, 64, 32, 3],
  [64, 128, 16, 3],
];
export const GL_SPECS: KernelSpec[] = [
  ...[256, 512, 1024].map((n): KernelSpec => ({ kind: 'matmul', n })),
  ...CONV_SHAPES.flatMap(([C, O, H, K]) => KINDS.map((k) => conv(k, C, O, H, K))),
];
export const DIRECT_CONV_BATCH = 8;

export interface GlRow {
  readonly workload: string;
  readonly engine: string;
  readonly gflops: number | null;
  readonly medianMs: number | null;
  readonly reps: number;
  readonly cpuPerWall: number | null;
  readonly note?: string;
}

const plan = (s: KernelSpec) => (quick ? { warmup: 0, reps: 1 } : s.kind === 'matmul' && s.n <= 512 ? { warmup: 1, reps: 3 } : { warmup: 1, reps: 2 });

type Gpujs = Backend & { isGL: boolean; renderer: string | null; destroy(): void };

const timeOurs = (be: Backend, spec: KernelSpec, p: { warmup: number; reps: number }): Timing => {
  const call = backendCall(be, spec);
  try {
    return timeSync(call.run, p);
  } finally {
    call.release();
  }
};

const main = async (): Promise<void> => {
  const { createGpujsBackend } = await import('../kernels/gpujs/gpujs-backend.js');
  const ours = createGpujsBackend({ log: () => {} }) as Gpujs;
  if (!ours.isGL) {
    process.stdout.write(`${JSON.stringify({ skipped: `GPU.js gave ${ours.kernelClass}: no GL context` })}\n`);
    return;
  }
  const direct = createGpujsBackend({ log: () => {}, packedGemm: false }) as Gpujs;
  const rows: GlRow[] = [];
  const push = (spec: KernelSpec, engine: string, t: Timing | null, note?: string) => {
    const row: GlRow = {
      workload: specName(spec),
      engine,
      gflops: t ? gflops(specFlops(spec), t.medianMs) : null,
      medianMs: t?.medianMs ?? null,
      reps: t?.reps ?? 0,
      cpuPerWall: t?.cpuPerWall ?? null,
      ...(note ? { note } : {}),
    };
    rows.push(row);
    process.stdout.write(`${JSON.stringify({ row })}\n`); // partial results survive a deadline
    console.error(
      `  ${engine} ${row.workload}: ${row.gflops?.toFixed(2) ?? '-'} GFLOP/s${t ? ` (median ${t.medianMs.toFixed(1)} ms of ${t.reps})` : ''}${note ? ` ${note}` : ''}`,
    );
  };
  for (const spec of GL_SPECS) {
    try {
      push(spec, 'gpujs', timeOurs(ours, spec, plan(spec)));
    } catch (e) {
      push(spec, 'gpujs', null, `failed: ${(e as Error).message.split('\n')[0]}`);
    }
    const [r] = await runTfjsKernels('webgl', [{ spec, ...plan(spec) }], fillValue);
    push(spec, 'tfjs-webgl', r.timing, r.note);
    // the "before" figure: the direct kernels, where they finish in seconds
    const d: KernelSpec | null =
      spec.kind === 'matmul'
        ? spec.n <= 512
          ? spec
          : null
        : spec.kind === 'conv2d-fwd' && spec.C === 128
          ? { ...spec, N: Math.min(spec.N, DIRECT_CONV_BATCH) }
          : null;
    if (d) push(d, 'gpujs-direct', timeOurs(direct, d, quick ? { warmup: 0, reps: 1 } : { warmup: 1, reps: 1 }));
  }
  const answer = { kernelClass: ours.kernelClass, renderer: ours.renderer, rows };
  direct.destroy();
  ours.destroy();
  process.stdout.write(`${JSON.stringify(answer)}\n`);
};

await main();
process.exit(0);
