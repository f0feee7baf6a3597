import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import type { Backend } from '../backend/backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { scope } from '../tensor/scope.js';
import { grad, noGrad, valueAndGrad } from './index.js';

let b: Backend;
beforeAll(() => {
  b = useBackend(createCpuBackend());
});

describe('autograd', () => {
  it('noGrad records nothing, fused ops included', () => {
    const x = T.tensor([1, 2], [2], { requiresGrad: true });
    noGrad(() => {
      expect(T.softmax(x).node).toBeNull();
      expect(T.mul(x, 2).node).toBeNull();
    });
    scope(() => expect(T.softmax(x).node?.op).toBe('softmax'));
  });

  it('a tensor the loss does not depend on gets a zero gradient; shared inputs accumulate', () => {
    const x = T.tensor([1, 2, 3], [3], { requiresGrad: true });
    const unused = T.tensor([5], [1], { requiresGrad: true });
    const [gx, gu] = scope(() => grad(T.sum(T.add(T.mul(x, x), x)), [x, unused]));
    expect(Array.from(gx.toArray())).toEqual([3, 5, 7]);
    expect(Array.from(gu.toArray())).toEqual([0]);
  });

  it('valueAndGrad releases everything but the value and the gradients', () => {
    const w = T.tensor([0.5, -1], [2, 1], { requiresGrad: true });
    const x = T.ones([3, 2]);
    const before = b.liveHandles();
    const { out, grads } = valueAndGrad([w], () => ({ loss: T.mean(T.logSoftmax(T.matmul(x, w), 0)) }));
    expect(b.liveHandles()).toBe(before + 2);
    out.loss.dispose();
    grads[0].dispose();
    expect(b.liveHandles()).toBe(before);
  });

  it('a non-scalar output needs a seed cotangent', () => {
    const x = T.tensor([1, 2], [2], { requiresGrad: true });
    expect(() => scope(() => grad(T.mul(x, 2), [x]))).toThrow(/scalar/);
    const [g] = scope(() => grad(T.mul(x, 3), [x], T.tensor([1, 10], [2])));
    expect(Array.from(g.toArray())).toEqual([3, 30]);
  });
});
