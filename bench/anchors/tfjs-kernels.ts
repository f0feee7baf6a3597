/**
 * TensorFlow.js anchor: times the kernel workloads on a tfjs backend ('wasm': XNNPACK, one
 * thread in Node; 'cpu': plain JS; 'webgl': on a headless-gl context, see tfjs-webgl.ts). Convolutions run in tfjs's native NHWC layout (same flops);
 * the backward passes call the kernels Conv2DBackpropInput / Conv2DBackpropFilter directly.
 * A kernel the backend lacks gives `null` (e.g. Conv2DBackpropFilter on wasm).
 */
import { timeSync, gflops, type Timing } from '../lib/timing.js';
import { convOut, specFlops, type KernelSpec } from './kernel-specs.js';
import { registerTfjsWebgl } from './tfjs-webgl.js';

type Tf = typeof import('@tensorflow/tfjs-core');

let tfPromise: Promise<Tf> | null = null;

/** Loads tfjs-core with the cpu and wasm backends registered (once). */
export const loadTfjs = (): Promise<Tf> => {
  tfPromise ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    return tf;
  })();
  return tfPromise;
};

export interface TfjsResult {
  readonly spec: KernelSpec;
  /** GFLOP/s, or null when the backend has no such kernel. */
  readonly gflops: number | null;
  readonly timing: Timing | null;
  readonly note?: string;
}

const filled = (n: number, fill: (i: number) => number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = fill(i);
  return a;
};

/** Times `specs` on tfjs backend `backend`; `reps`/`warmup` per spec come from `plan`. */
export const runTfjsKernels = async (
  backend: 'cpu' | 'wasm' | 'webgl',
  specs: ReadonlyArray<{ spec: KernelSpec; warmup: number; reps: number }>,
  fill: (i: number) => number,
): Promise<TfjsResult[]> => {
  const tf = await loadTfjs();
  const quiet = console.log;
  console.log = () => {}; // tfjs prints a banner about tfjs-node on the cpu backend
  try {
    if (backend === 'webgl') {
      const why = await registerTfjsWebgl(tf);
      if (why) throw new Error(why);
    }
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} unavailable`);
    await tf.ready();
  } finally {
    console.log = quiet;
  }
  const out: TfjsResult[] = [];
  for (const { spec, warmup, reps } of specs) {
    const flops = specFlops(spec);
    if (spec.kind === 'matmul') {
      const a = tf.tensor2d(filled(spec.n * spec.n, fill), [spec.n, spec.n]);
      const b = tf.tensor2d(
        filled(spec.n * spec.n, (i) => fill(i + 7)),
        [spec.n, spec.n],
      );
      const t = timeSync(() => tf.tidy(() => void tf.matMul(a, b).dataSync()), { warmup, reps });
      tf.dispose([a, b]);
      out.push({ spec, gflops: gflops(flops, t.medianMs), timing: t });
      continue;
    }
    const kernel = { 'conv2d-fwd': 'Conv2D', 'conv2d-bwd-input': 'Conv2DBackpropInput', 'conv2d-bwd-filter': 'Conv2DBackpropFilter' }[spec.kind];
    if (!tf.getKernel(kernel, backend)) {
      out.push({ spec, gflops: null, timing: null, note: `${kernel} not registered for ${backend}` });
      continue;
    }
    const { N, C, O, H, W, K } = spec;
    const [OH, OW] = convOut(spec);
    const pad = spec.pad;
    const x = tf.tensor4d(filled(N * H * W * C, fill), [N, H, W, C]);
    const w = tf.tensor4d(
      filled(K * K * C * O, (i) => fill(i + 3)),
      [K, K, C, O],
    );
    const dy = tf.tensor4d(
      filled(N * OH * OW * O, (i) => fill(i + 5)),
      [N, OH, OW, O],
    );
    const run = (): void =>
      tf.tidy(() => {
        let r: import('@tensorflow/tfjs-core').Tensor;
        if (spec.kind === 'conv2d-fwd') r = tf.conv2d(x, w, 1, pad);
        else if (spec.kind === 'conv2d-bwd-input')
          r = tf
            .engine()
            .runKernel(kernel, { dy, filter: w }, { strides: 1, pad, dataFormat: 'NHWC', inputShape: [N, H, W, C] }) as import('@tensorflow/tfjs-core').Tensor;
        else
          r = tf
            .engine()
            .runKernel(kernel, { x, dy }, { strides: 1, pad, dataFormat: 'NHWC', filterShape: [K, K, C, O] }) as import('@tensorflow/tfjs-core').Tensor;
        r.dataSync();
      });
    const t = timeSync(run, { warmup, reps });
    tf.dispose([x, w, dy]);
    out.push({ spec, gflops: gflops(flops, t.medianMs), timing: t });
  }
  return out;
};
