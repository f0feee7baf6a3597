/**
 * The workloads of bench:webgpu, shared by the Node bench (webgpu.ts, Dawn) and the browser bench
 * page (webgpu-browser/page.ts, headless Chromium): matmul 256/512/1024, conv2d forward and both
 * backward passes (b64 128->128 16x16 3x3, as bench:kernels), AL64 inference and an AL64
 * training step (baseline objective, Adam; 64 px), on the gpujs WebGPU mode and on tfjs-webgpu.
 * Every timed run ends with an awaited read of its result on both engines (downloadAsync /
 * await data()), so "done" means the same thing for both. No Node module here.
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as TfCore from '@tensorflow/tfjs-core';
import { useBackend } from '../lib/backend/current.js';
import { createAl64 } from '../lib/nn/al64.js';
import { initModule } from '../lib/nn/module.js';
import { subtree } from '../lib/nn/tree.js';
import { noGrad } from '../lib/autograd/tape.js';
import * as T from '../lib/ops/index.js';
import { adam } from '../lib/optim/adam.js';
import { Rng } from '../lib/rng/rng.js';
import { scope } from '../lib/tensor/scope.js';
import type { Tensor } from '../lib/tensor/tensor.js';
import { baselineStep } from '../pipelines/baseline.js';
import { withGrad, type StepOutput } from '../pipelines/elim.js';
import { makeEnv } from '../pipelines/env.js';
import { makeConfig } from '../pipelines/config.js';
import { formatElimError } from '../pipelines/errors.js';
import type { WebGpuBackend } from '../kernels/gpujs/webgpu/backend-on-link.js';
import { convOut, type ConvSpec, type KernelSpec } from './anchors/kernel-specs.js';

export interface Plan {
  readonly warmup: number;
  readonly reps: number;
}

/** Median wall milliseconds of `reps` awaited runs after `warmup` (performance.now: Node and pages alike). */
export const medianMs = async (fn: () => Promise<void>, p: Plan): Promise<number> => {
  for (let i = 0; i < p.warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < p.reps; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms.length % 2 ? ms[ms.length >> 1] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
};

/** matmul 256/512(/1024), conv2d fwd, bwd-input, bwd-filter; `quick` drops matmul 1024 (minutes on SwiftShader). */
export const webgpuSpecs = (quick: boolean, convBatch: number): KernelSpec[] => {
  const conv = { N: convBatch, C: 128, O: 128, H: 16, W: 16, K: 3, pad: 1 };
  return [
    { kind: 'matmul', n: 256 },
    { kind: 'matmul', n: 512 },
    ...(quick ? [] : [{ kind: 'matmul', n: 1024 } as const]),
    { kind: 'conv2d-fwd', ...conv },
    { kind: 'conv2d-bwd-input', ...conv },
    { kind: 'conv2d-bwd-filter', ...conv },
  ];
};

export const filled = (n: number, seed: number): Float32Array => {
  const a = new Float32Array(n);
  Rng.fromSeed(seed).fillUniform(a, -1, 1);
  return a;
};

/** Ours: one kernel (or op) + an awaited read per run. */
export const oursKernel = async (b: WebGpuBackend, s: KernelSpec, p: Plan): Promise<number> => {
  const inputs: ReturnType<WebGpuBackend['upload']>[] = [];
  const up = (n: number, seed: number) => {
    const h = b.upload(filled(n, seed));
    inputs.push(h);
    return h;
  };
  let run: () => ReturnType<WebGpuBackend['upload']>;
  if (s.kind === 'matmul') {
    const [a, c] = [up(s.n * s.n, 1), up(s.n * s.n, 2)];
    run = () => b.matmul(a, [1, s.n, s.n], c, [1, s.n, s.n], false, false);
  } else {
    const cs = s as ConvSpec;
    const [oh, ow] = convOut(cs);
    const xs = [cs.N, cs.C, cs.H, cs.W];
    const ws = [cs.O, cs.C, cs.K, cs.K];
    const ys = [cs.N, cs.O, oh, ow];
    const a = { stride: [1, 1] as [number, number], pad: [cs.pad, cs.pad] as [number, number] };
    const [x, w, dy] = [up(cs.N * cs.C * cs.H * cs.W, 3), up(cs.O * cs.C * cs.K * cs.K, 4), up(cs.N * cs.O * oh * ow, 5)];
    if (cs.kind === 'conv2d-fwd') run = () => b.conv2d(x, xs, w, ws, a);
    else if (cs.kind === 'conv2d-bwd-input') run = () => b.conv2dBackwardInput(dy, ys, w, ws, xs, a);
    else run = () => b.conv2dBackwardFilter(x, xs, dy, ys, ws, a);
  }
  const ms = await medianMs(async () => {
    const h = run();
    await b.downloadAsync(h);
    b.release(h);
  }, p);
  for (const h of inputs) b.release(h);
  return ms;
};

/** What the tfjs workloads use (a Pick: tfjs-core's module type differs between its static and dynamic import). */
type Tf = Pick<typeof TfCore, 'tensor2d' | 'tensor4d' | 'matMul' | 'conv2d' | 'engine' | 'dispose'>;

/** tfjs: the same workload in its NHWC layout (same flops); backward passes through their kernels. */
export const tfjsKernel = async (tf: Tf, s: KernelSpec, p: Plan): Promise<number> => {
  const keep: TfCore.Tensor[] = [];
  const t = <R extends TfCore.Tensor>(x: R) => (keep.push(x), x);
  let run: () => TfCore.Tensor;
  if (s.kind === 'matmul') {
    const a = t(tf.tensor2d(filled(s.n * s.n, 1), [s.n, s.n]));
    const c = t(tf.tensor2d(filled(s.n * s.n, 2), [s.n, s.n]));
    run = () => tf.matMul(a, c);
  } else {
    const cs = s as ConvSpec;
    const [oh, ow] = convOut(cs);
    const x = t(tf.tensor4d(filled(cs.N * cs.H * cs.W * cs.C, 3), [cs.N, cs.H, cs.W, cs.C]));
    const w = t(tf.tensor4d(filled(cs.K * cs.K * cs.C * cs.O, 4), [cs.K, cs.K, cs.C, cs.O]));
    const dy = t(tf.tensor4d(filled(cs.N * oh * ow * cs.O, 5), [cs.N, oh, ow, cs.O]));
    const attrs = { strides: 1, pad: cs.pad, dataFormat: 'NHWC' };
    if (cs.kind === 'conv2d-fwd') run = () => tf.conv2d(x, w, 1, cs.pad);
    else if (cs.kind === 'conv2d-bwd-input')
      run = () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape }) as TfCore.Tensor;
    else run = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }) as TfCore.Tensor;
  }
  const ms = await medianMs(async () => {
    const r = run();
    await r.data();
    r.dispose();
  }, p);
  tf.dispose(keep);
  return ms;
};

/** Ours: AL64 (64 px) inference or one baseline training step (Adam), reads included; with the reads a step makes. */
export const oursAl64 = async (b: WebGpuBackend, workload: 'infer' | 'baseline', B: number, p: Plan): Promise<{ ms: number; readsPerStep?: number }> => {
  useBackend(b);
  const al = createAl64({ batch: B });
  const rng = Rng.fromSeed(7);
  const enc = initModule(al.encoder, rng.fork());
  const proj = initModule(al.projector, rng.fork());
  const pre = (p: string, m: ReadonlyMap<string, Tensor>) => [...m].map(([k, v]) => [`${p}.${k}`, v] as const);
  let params = new Map<string, Tensor>([...pre('encoder', enc.params), ...pre('projector', proj.params)]);
  const state = new Map<string, Tensor>([...pre('encoder', enc.state), ...pre('projector', proj.state)]);
  const x = T.tensor(filled(B * 3 * 64 * 64, 5), [B, 3, 64, 64]);
  const y = T.tensor(filled(B * 2, 6), [B, 2]);
  if (workload === 'infer') {
    const ms = await medianMs(async () => {
      const out = noGrad(() =>
        scope(() => {
          const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: false });
          return al.projector.apply(subtree(params, 'projector'), subtree(state, 'projector'), e.y, { training: false }).y;
        }),
      );
      await out.toArrayAsync();
      out.dispose();
    }, p);
    return { ms };
  }
  const optimizer = adam({ lr: 1e-4, betas: [0.5, 0.99] });
  let opt = optimizer.init(params);
  const env = makeEnv({ config: makeConfig({}), seed: 11 });
  const dropout = Rng.fromSeed(13);
  const keys = Array.from({ length: B }, (_, i) => `id${i % 4}`);
  let reads = 0;
  const ms = await medianMs(async () => {
    const r0 = b.stats.syncReads + b.stats.asyncReads;
    const r = withGrad(params, () => {
      const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: true, rng: dropout.fork() });
      const projector = { module: al.projector, params: subtree(params, 'projector'), state: subtree(state, 'projector') };
      const out = baselineStep({ z: e.y, labels: y, keys, iteration: 1, models: { projector } })(env);
      return E.map((o: StepOutput) => ({ loss: o.loss }))(out);
    });
    if (E.isLeft(r)) throw new Error(formatElimError(r.left));
    const next = optimizer.step(params, r.right.grads, opt);
    for (const g of r.right.grads.values()) g.dispose();
    params = next.params;
    opt = next.state;
    await r.right.out.loss.itemAsync(); // the one scalar a trainer logs
    r.right.out.loss.dispose();
    reads = b.stats.syncReads + b.stats.asyncReads - r0;
  }, p);
  return { ms, readsPerStep: reads };
};
