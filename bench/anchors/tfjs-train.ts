/**
 * TensorFlow.js anchor for bench/train.ts: the AL64 workload (lib/nn/al64.ts) written with
 * tfjs-core ops in tfjs's native NHWC layout — conv 3->32 k5 p2, ReLU, maxpool2; conv 32->64
 * k3 p1, ReLU, maxpool2; conv 64->128 k3 p1, ReLU; conv 128->128 k3 p1, ReLU, maxpool2;
 * flatten 8192; Linear 8192->256, ReLU, Dropout 0.5; Linear 256->64, BatchNorm1d, ReLU = z;
 * projector Linear 64->1280, BatchNorm1d, ReLU, Linear 1280->2 — and
 *   - 'baseline': one training step = forward, L_va + 0.5 (L_PCC + L_CCC), backward, Adam
 *     (betas 0.5, 0.99), as `tf.train.adam(...).minimize`;
 *   - 'infer': eval-mode forward (running statistics, no dropout) and read-back.
 *
 * tfjs-backend-wasm registers no Conv2DBackpropFilter kernel, so stock autodiff cannot train a
 * conv net there. On 'wasm' every convolution is a `tf.customGrad` whose gradients are built
 * from kernels it has, all XNNPACK convolutions:
 *   dx = conv2d(dy, flip_hw(w) with in/out swapped, pad)            (stride 1, "same" padding)
 *   dw = conv2d(x^T [C,H,W,N], dy^T [H,W,N,O] as an HxW filter, pad)^T   (the batch becomes the
 *        contraction channel: dw[kh,kw,c,o] = sum_{n,h,w} x_pad[n,h+kh,w+kw,c] dy[n,h,w,o])
 * and the first layer's dx (the input needs no gradient) is skipped, as our engine and torch do.
 * On 'cpu' Conv2D's gradient is the stock rule over its Conv2DBackpropInput/Filter kernels.
 * tfjs-core's node bundle ships no gradient functions at all (the @tensorflow/tfjs union
 * package registers them and is not installed), so `registerGradients` registers the few this
 * graph needs. Checked while writing this: 3 Adam steps at batch 2 from the same init give the
 * same losses on 'wasm' (custom conv gradients) and 'cpu' (kernel gradients) to 5e-4
 * (4.0662 vs 4.0684, then 2.3046 vs 2.3050).
 * Inputs, labels, weights and dropout masks come from a small deterministic generator.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import { timeAsync, timeSync, type Timing } from '../lib/timing.js';
import { loadTfjs } from './tfjs-kernels.js';
import { registerTfjsWebgl } from './tfjs-webgl.js';

type Tf = Awaited<ReturnType<typeof loadTfjs>>;
type Tensor = TfCore.Tensor;

export interface TfjsTrainOptions {
  /** 'webgpu' (bench/webgpu.ts) reads with `await data()`: its dataSync needs a canvas Node lacks. */
  readonly backend: 'wasm' | 'cpu' | 'webgl' | 'webgpu';
  readonly workload: 'baseline' | 'infer';
  readonly batch: number;
  readonly warmup: number;
  readonly reps: number;
}

export interface TfjsTrainResult {
  readonly timing: Timing;
  /** True when the convolutions' gradients were the custom ones above. */
  readonly customConvGrad: boolean;
  /** Loss of the first and last timed training step (training only): a sanity check that it trains. */
  readonly losses?: readonly number[];
}

/** A small deterministic generator (xorshift32) for inputs, weights and masks. */
const generator = (seed: number) => {
  let s = seed >>> 0 || 1;
  return (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
};

const uniform = (n: number, bound: number, next: () => number): Float32Array => {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = (next() * 2 - 1) * bound;
  return a;
};

interface ConvSpec {
  readonly c: number;
  readonly o: number;
  readonly k: number;
  readonly pad: number;
}

const CONVS: readonly ConvSpec[] = [
  { c: 3, o: 32, k: 5, pad: 2 },
  { c: 32, o: 64, k: 3, pad: 1 },
  { c: 64, o: 128, k: 3, pad: 1 },
  { c: 128, o: 128, k: 3, pad: 1 },
];
const POOL_AFTER = [true, true, false, true];

/** A convolution whose gradients use only conv2d (for backends without Conv2DBackpropFilter). */
const customConv = (tf: Tf, pad: number, needDx: boolean) =>
  tf.customGrad(((x: Tensor, w: Tensor, save: TfCore.GradSaveFunc) => {
    save([x, w]);
    return {
      value: tf.conv2d(x as TfCore.Tensor4D, w as TfCore.Tensor4D, 1, pad),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [xs, ws] = saved as [TfCore.Tensor4D, TfCore.Tensor4D];
        const dy4 = dy as TfCore.Tensor4D;
        const dx = needDx ? tf.conv2d(dy4, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]), 1, pad) : tf.zerosLike(xs);
        const dwT = tf.conv2d(tf.transpose(xs, [3, 1, 2, 0]), tf.transpose(dy4, [1, 2, 0, 3]), 1, pad); // [C, K, K, O]
        return [dx, tf.transpose(dwT, [1, 2, 0, 3])];
      },
    };
  }) as unknown as Parameters<Tf['customGrad']>[0]);

/**
 * The tfjs-core node bundle ships no gradient functions (the union package @tensorflow/tfjs
 * registers them; it is not installed here), so the kernels this graph uses get theirs here,
 * once per process. Conv2D's uses the backend's Conv2DBackpropInput/Filter kernels (the stock
 * rule); on wasm the convolutions are `customConv` instead and never reach it.
 */
let gradientsRegistered = false;
const registerGradients = (tf: Tf): void => {
  if (gradientsRegistered) return;
  gradientsRegistered = true;
  /** Sums dy over the axes broadcasting expanded, back to `shape`. */
  const unbroadcast = (dy: Tensor, shape: number[]): Tensor => {
    if (dy.shape.length === shape.length && dy.shape.every((d, i) => d === shape[i])) return dy;
    const lead = dy.shape.length - shape.length;
    const axes = dy.shape.map((_d, i) => i).filter((i) => i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1));
    return tf.reshape(tf.sum(dy, axes), shape);
  };
  const reg = (
    kernelName: string,
    inputsToSave: string[],
    gradFunc: (dy: Tensor, saved: Tensor[], attrs: Record<string, unknown>) => Record<string, () => Tensor>,
    outputsToSave?: boolean[],
  ) =>
    tf.registerGradient({
      kernelName,
      inputsToSave,
      outputsToSave,
      gradFunc: (dy, saved, attrs) => gradFunc(dy as Tensor, saved, attrs as Record<string, unknown>),
    });
  reg('Add', ['a', 'b'], (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => unbroadcast(dy, b.shape) }));
  reg('Sub', ['a', 'b'], (dy, [a, b]) => ({ a: () => unbroadcast(dy, a.shape), b: () => unbroadcast(tf.neg(dy), b.shape) }));
  reg('Multiply', ['a', 'b'], (dy, [a, b]) => ({ a: () => unbroadcast(tf.mul(dy, b), a.shape), b: () => unbroadcast(tf.mul(dy, a), b.shape) }));
  reg('RealDiv', ['a', 'b'], (dy, [a, b]) => ({
    a: () => unbroadcast(tf.div(dy, b), a.shape),
    b: () => unbroadcast(tf.neg(tf.div(tf.mul(dy, a), tf.square(b))), b.shape),
  }));
  reg('Square', ['x'], (dy, [x]) => ({ x: () => tf.mul(dy, tf.mul(x, 2)) }));
  reg('Sqrt', ['x'], (dy, [x]) => ({ x: () => tf.div(dy, tf.mul(tf.sqrt(x), 2)) }));
  reg('Neg', [], (dy) => ({ x: () => tf.neg(dy) }));
  reg('Relu', ['x'], (dy, [x]) => ({ x: () => tf.mul(dy, tf.step(x)) }));
  reg('Reshape', ['x'], (dy, [x]) => ({ x: () => tf.reshape(dy, x.shape) }));
  reg('BatchMatMul', ['a', 'b'], (dy, [a, b], attrs) => {
    if (attrs.transposeA || attrs.transposeB) throw new Error('BatchMatMul gradient: only untransposed operands are used here');
    return { a: () => tf.matMul(dy, b, false, true), b: () => tf.matMul(a, dy, true, false) };
  });
  const reduceGrad =
    (mean: boolean) =>
    (dy: Tensor, [x]: Tensor[], attrs: Record<string, unknown>) => {
      const ax =
        attrs.axis === undefined || attrs.axis === null
          ? x.shape.map((_, i) => i)
          : ([] as number[]).concat(attrs.axis as number | number[]).map((a) => (a < 0 ? a + x.rank : a));
      const kept = x.shape.map((d, i) => (ax.includes(i) ? 1 : d));
      const n = ax.reduce((p, a) => p * x.shape[a], 1);
      return { x: () => tf.mul(tf.reshape(dy, kept), tf.fill(x.shape, mean ? 1 / n : 1)) };
    };
  reg('Mean', ['x'], reduceGrad(true));
  reg('Sum', ['x'], reduceGrad(false));
  reg(
    'MaxPool',
    ['x'],
    (dy, [x, y], attrs) => ({
      x: () => tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, attrs as unknown as TfCore.NamedAttrMap) as Tensor,
    }),
    [true],
  );
  reg('Conv2D', ['x', 'filter'], (dy, [x, w], attrs) => {
    const a = { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: 1 } as unknown as TfCore.NamedAttrMap;
    return {
      x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...a, inputShape: x.shape }) as Tensor,
      filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...a, filterShape: w.shape }) as Tensor,
    };
  });
};

export const runTfjsTrain = async (o: TfjsTrainOptions): Promise<TfjsTrainResult> => {
  const tf = await loadTfjs();
  const quiet = console.log;
  console.log = () => {}; // the cpu backend's banner about tfjs-node
  try {
    if (o.backend === 'webgl') {
      const why = await registerTfjsWebgl(tf);
      if (why) throw new Error(why);
    }
    if (!(await tf.setBackend(o.backend))) throw new Error(`tfjs backend ${o.backend} unavailable`);
    await tf.ready();
  } finally {
    console.log = quiet;
  }
  const custom = o.backend === 'wasm' && !tf.getKernel('Conv2DBackpropFilter', 'wasm');
  registerGradients(tf);
  const next = generator(12345);
  const B = o.batch;
  const made: Array<{ dispose(): void }> = [];
  const keep = <T extends { dispose(): void }>(x: T): T => (made.push(x), x);
  const v = (shape: number[], bound: number, name: string) =>
    keep(
      tf.variable(
        tf.tensor(
          uniform(
            shape.reduce((a, b) => a * b, 1),
            bound,
            next,
          ),
          shape,
        ),
        true,
        name,
      ),
    );
  const conv = CONVS.map((s, i) => ({
    ...s,
    w: v([s.k, s.k, s.c, s.o], Math.sqrt(6 / (s.c * s.k * s.k)), `conv${i}.w`),
    b: v([s.o], 0.01, `conv${i}.b`),
    op: custom ? customConv(tf, s.pad, i > 0) : null,
  }));
  const lin = (i: number, o2: number, name: string) => ({ w: v([i, o2], Math.sqrt(6 / i), `${name}.w`), b: v([o2], 0.01, `${name}.b`) });
  const bn = (n: number, name: string) => ({
    g: keep(tf.variable(tf.ones([n]), true, `${name}.g`)),
    b: keep(tf.variable(tf.zeros([n]), true, `${name}.b`)),
    mean: tf.zeros([n]) as Tensor,
    var: tf.ones([n]) as Tensor,
  });
  const fc1 = lin(8192, 256, 'fc1');
  const fc2 = lin(256, 64, 'fc2');
  const bn1 = bn(64, 'bn1');
  const fc3 = lin(64, 1280, 'fc3');
  const bn2 = bn(1280, 'bn2');
  const fc4 = lin(1280, 2, 'fc4');
  const x = tf.tensor4d(uniform(B * 64 * 64 * 3, 1, next), [B, 64, 64, 3]);
  const labels = tf.tensor2d(uniform(B * 2, 1, next), [B, 2]);

  const batchNorm = (h: Tensor, p: ReturnType<typeof bn>, training: boolean): Tensor => {
    if (!training) return tf.add(tf.mul(tf.div(tf.sub(h, p.mean), tf.sqrt(tf.add(p.var, 1e-5))), p.g), p.b);
    const mean = tf.mean(h, 0);
    const variance = tf.mean(tf.square(tf.sub(h, mean)), 0);
    const n = h.shape[0];
    // running statistics (momentum 0.1, unbiased variance), kept outside the step's tidy
    const rm = tf.keep(tf.add(tf.mul(p.mean, 0.9), tf.mul(mean, 0.1)));
    const rv = tf.keep(tf.add(tf.mul(p.var, 0.9), tf.mul(variance, (0.1 * n) / (n - 1))));
    p.mean.dispose();
    p.var.dispose();
    p.mean = rm;
    p.var = rv;
    return tf.add(tf.mul(tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))), p.g), p.b);
  };

  const forward = (training: boolean): Tensor => {
    let h: Tensor = x;
    conv.forEach((c, i) => {
      const y = c.op ? c.op(h, c.w) : tf.conv2d(h as TfCore.Tensor4D, c.w as TfCore.Tensor4D, 1, c.pad);
      h = tf.relu(tf.add(y, c.b));
      if (POOL_AFTER[i]) h = tf.maxPool(h as TfCore.Tensor4D, 2, 2, 'valid');
    });
    h = tf.reshape(h, [B, 8192]);
    h = tf.relu(tf.add(tf.matMul(h, fc1.w), fc1.b));
    if (training)
      h = tf.mul(
        h,
        tf.tensor2d(
          Float32Array.from({ length: B * 256 }, () => (next() < 0.5 ? 2 : 0)),
          [B, 256],
        ),
      );
    const z = tf.relu(batchNorm(tf.add(tf.matMul(h, fc2.w), fc2.b), bn1, training));
    const p = tf.relu(batchNorm(tf.add(tf.matMul(z, fc3.w), fc3.b), bn2, training));
    return tf.add(tf.matMul(p, fc4.w), fc4.b);
  };

  /** L_va + 0.5 (L_PCC + L_CCC), population statistics, eps-guarded. */
  const objective = (y: Tensor, t: Tensor): TfCore.Scalar => {
    const eps = 1e-8;
    const my = tf.mean(y, 0),
      mt = tf.mean(t, 0);
    const dy = tf.sub(y, my),
      dt = tf.sub(t, mt);
    const vy = tf.mean(tf.square(dy), 0),
      vt = tf.mean(tf.square(dt), 0);
    const cov = tf.mean(tf.mul(dy, dt), 0);
    const va = tf.sum(tf.mean(tf.square(tf.sub(y, t)), 0));
    const pcc = tf.div(cov, tf.add(tf.sqrt(tf.mul(vy, vt)), eps));
    const ccc = tf.div(tf.mul(cov, 2), tf.add(tf.add(tf.add(vy, vt), tf.square(tf.sub(my, mt))), eps));
    return tf.add(va, tf.mul(tf.sub(2, tf.add(tf.mean(pcc), tf.mean(ccc))), 0.5)) as TfCore.Scalar;
  };

  let timing: Timing;
  let losses: number[] | undefined;
  const asyncRead = o.backend === 'webgpu';
  if (o.workload === 'infer') {
    timing = asyncRead
      ? await timeAsync(
          async () => {
            const y = tf.tidy(() => forward(false));
            await y.data();
            y.dispose();
          },
          { warmup: o.warmup, reps: o.reps },
        )
      : timeSync(() => tf.tidy(() => void forward(false).dataSync()), { warmup: o.warmup, reps: o.reps });
  } else {
    const opt = tf.train.adam(1e-4, 0.5, 0.99, 1e-8);
    const seen: number[] = [];
    const step = () => opt.minimize(() => objective(forward(true), labels), true)!;
    timing = asyncRead
      ? await timeAsync(
          async () => {
            const loss = step();
            seen.push((await loss.data())[0]);
            loss.dispose();
          },
          { warmup: o.warmup, reps: o.reps },
        )
      : timeSync(
          () => {
            const loss = step();
            seen.push(loss.dataSync()[0]);
            loss.dispose();
          },
          { warmup: o.warmup, reps: o.reps },
        );
    losses = [seen[o.warmup], seen[seen.length - 1]];
    opt.dispose();
  }
  // the variables are named (conv0.w, ...): a second model in the same engine needs these gone
  for (const x of made) x.dispose();
  return { timing, customConvGrad: custom, losses };
};
