/**
 * No leaks: 200 forward/backward/update steps of a tiny conv net (conv2d -> relu -> maxPool ->
 * flatten -> matmul -> mean loss) inside valueAndGrad leave the backend's live-handle count
 * where the first step left it, and the loss goes down.
 */
import { expect, it } from 'vitest';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { valueAndGrad } from '../lib/autograd/grad.js';
import { noGrad } from '../lib/autograd/tape.js';
import { useBackend } from '../lib/backend/current.js';
import * as T from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import { scope } from '../lib/tensor/scope.js';
import type { Tensor } from '../lib/tensor/tensor.js';

it('liveHandles does not grow over 200 training steps of a tiny conv net', () => {
  const b = useBackend(createCpuBackend({ threads: 1 }));
  const rng = Rng.fromSeed(42);
  const x = T.randomNormal([4, 1, 6, 6], rng);
  const target = T.randomNormal([4, 3], rng);
  let params: Tensor[] = [T.randomNormal([3, 1, 3, 3], rng, 0, 0.5, { requiresGrad: true }), T.randomNormal([27, 3], rng, 0, 0.2, { requiresGrad: true })];

  const step = (): number => {
    const { out, grads } = valueAndGrad(params, () => {
      const [w1, w2] = params;
      const h = T.maxPool2d(T.relu(T.conv2d(x, w1, { padding: 1 })), { kernel: 2 }); // [4, 3, 3, 3]
      const y = T.matmul(T.flatten(h), w2); // [4, 3]
      return { loss: T.mean(T.square(T.sub(y, target))) };
    });
    const loss = out.loss.item();
    const next = noGrad(() => params.map((p, i) => scope(() => T.sub(p, T.mul(grads[i], 0.05)).toArray())));
    for (const t of [out.loss, ...grads, ...params]) t.dispose();
    params = next.map((v, i) => T.tensor(v, params[i].shape, { requiresGrad: true }));
    return loss;
  };

  const first = step();
  const baseline = b.liveHandles();
  let last = first;
  for (let i = 1; i < 200; i++) last = step();
  expect(b.liveHandles()).toBe(baseline);
  expect(last).toBeLessThan(first);
});
