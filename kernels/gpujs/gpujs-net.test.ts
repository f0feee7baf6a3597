/**
 * A tiny conv net through lib/ops (conv, bias broadcast, relu, max pool, strided conv, gelu,
 * adaptive avg pool, matmul, log-softmax, mean) on the gpujs backend against the CPU backend:
 * loss and every parameter gradient agree within 1e-4 scaled (float32 both sides). Then the leak
 * test: 200 forward/backward steps inside `scope` leave liveHandles where it started.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { valueAndGrad } from '../../lib/autograd/grad.js';
import type { Backend } from '../../lib/backend/backend.js';
import * as T from '../../lib/ops/index.js';
import { Rng } from '../../lib/rng/rng.js';
import { scope } from '../../lib/tensor/scope.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { expectClose } from '../conformance/compare.test-helpers.js';
import { createCpuBackend } from '../cpu/cpu-backend.js';
import { createGpujsBackend } from './gpujs-backend.js';

const gpu = createGpujsBackend({ log: (m) => console.log(m) });
const cpu = createCpuBackend();
console.log(`[gpujs net test] kernel class obtained: ${gpu.kernelClass}`);

interface Params {
  w1: Tensor;
  b1: Tensor;
  w2: Tensor;
  fc: Tensor;
}
const SHAPES = { w1: [4, 1, 3, 3], b1: [4], w2: [6, 4, 3, 3], fc: [6, 3] } as const;

/** Same values on any backend: drawn from one seed, so both backends start identical. */
const makeParams = (backend: Backend): Params => {
  const rng = Rng.fromSeed(11);
  const p = {} as Record<keyof Params, Tensor>;
  for (const [k, s] of Object.entries(SHAPES)) p[k as keyof Params] = T.randomNormal(s, rng, 0, 0.5, { backend, requiresGrad: true });
  return p;
};
const makeBatch = (backend: Backend) => {
  const rng = Rng.fromSeed(12);
  const x = T.randomUniform([2, 1, 9, 8], rng, -1, 1, { backend });
  const onehot = T.tensor([1, 0, 0, 0, 0, 1], [2, 3], { backend });
  return { x, onehot };
};

const loss = (p: Params, x: Tensor, onehot: Tensor): Tensor => {
  let h = T.conv2d(x, p.w1, { padding: 1 }); // [2, 4, 9, 8]
  h = T.relu(T.add(h, T.reshape(p.b1, [1, 4, 1, 1])));
  h = T.maxPool2d(h, { kernel: 2, stride: 2 }); // [2, 4, 4, 4]
  h = T.gelu(T.conv2d(h, p.w2, { stride: 2, padding: 1 })); // [2, 6, 2, 2]
  h = T.reshape(T.adaptiveAvgPool2d(h, [1, 1]), [2, 6]);
  const logits = T.matmul(h, p.fc);
  return T.neg(T.mean(T.sum(T.mul(T.logSoftmax(logits, -1), onehot), 1)));
};

const step = (p: Params, batch: { x: Tensor; onehot: Tensor }) => valueAndGrad([p.w1, p.b1, p.w2, p.fc], () => ({ loss: loss(p, batch.x, batch.onehot) }));

afterAll(() => gpu.destroy());

describe(`tiny conv net: gpujs (${gpu.kernelClass}) vs cpu`, () => {
  it('forward loss and all parameter gradients agree within 1e-4', () => {
    const run = (backend: Backend) =>
      scope(() => {
        const p = makeParams(backend);
        const { out, grads } = step(p, makeBatch(backend));
        return { loss: out.loss.toArray(), grads: grads.map((g) => g.toArray()) };
      });
    const want = run(cpu);
    const got = run(gpu);
    expectClose(got.loss, want.loss, 1e-4, 'loss');
    got.grads.forEach((g, i) => expectClose(g, want.grads[i], 1e-4, `grad ${Object.keys(SHAPES)[i]}`));
    expect(gpu.liveHandles()).toBe(0);
  });

  it('200 forward/backward steps inside scope leave no live handles behind', () => {
    const p = makeParams(gpu);
    const batch = makeBatch(gpu);
    const before = gpu.liveHandles();
    let last = NaN;
    for (let s = 0; s < 200; s++) {
      const l = scope(() => {
        const { out } = step(p, batch);
        return s % 50 === 49 ? out.loss.item() : 0;
      });
      if (s === 10) expect(gpu.liveHandles()).toBe(before);
      if (s % 50 === 49) last = l;
    }
    expect(Number.isFinite(last)).toBe(true);
    expect(gpu.liveHandles(), 'no growth after 200 steps').toBe(before);
    for (const t of [...Object.values(p), batch.x, batch.onehot]) t.dispose();
    expect(gpu.liveHandles()).toBe(0);
  });
});
