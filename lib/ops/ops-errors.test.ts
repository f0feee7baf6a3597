/** Every shape/dtype mistake is an EngineError naming the op (and both shapes where two meet). */
import { beforeAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import { EngineError } from '../errors.js';
import { Rng } from '../rng/rng.js';
import * as T from './index.js';

const expectEngineError = (f: () => unknown, tag: string, ...fragments: string[]) => {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'should throw').toBeInstanceOf(EngineError);
  const e = caught as EngineError;
  expect(e.tag).toBe(tag);
  for (const s of fragments) expect(e.message).toContain(s);
};

describe('op argument errors', () => {
  beforeAll(() => {
    useBackend(createCpuBackend());
  });
  const z = (...s: number[]) => T.zeros(s);

  it('slice / padInto', () => {
    expectEngineError(() => T.slice(z(3, 4), [2, 0], [2, 4]), 'ShapeError', 'slice', '[3, 4]', '[2, 4]');
    expectEngineError(() => T.slice(z(3, 4), [0], [1]), 'ShapeError', 'slice');
    expectEngineError(() => T.padInto(z(3, 4), [0, 1], [3, 4]), 'ShapeError', 'padInto');
  });
  it('gather / scatterAdd', () => {
    expectEngineError(() => T.gather(z(3, 2), [0, 3]), 'ArgumentError', 'gather', 'index 3');
    expectEngineError(() => T.gather(z(3, 2), [0.5]), 'ArgumentError', 'gather');
    expectEngineError(() => T.gather(T.scalar(1), [0]), 'ShapeError', 'gather');
    expectEngineError(() => T.scatterAdd(z(2, 2), [0], 3), 'ShapeError', 'scatterAdd');
  });
  it('concat / stack / broadcastTo', () => {
    expectEngineError(() => T.concat([z(2, 3), z(3, 2)], 0), 'ShapeError', 'concat', '[2, 3]', '[3, 2]');
    expectEngineError(() => T.concat([], 0), 'ArgumentError', 'concat');
    expectEngineError(() => T.concat([z(2, 3), T.zeros([2, 3], { dtype: 'float64' })], 0), 'DTypeError', 'concat');
    expectEngineError(() => T.concat([z(2, 3)], 2), 'ArgumentError', 'concat');
    expectEngineError(() => T.stack([z(2), z(3)]), 'ShapeError', 'stack', '[2]', '[3]');
    expectEngineError(() => T.broadcastTo(z(2, 3), [4, 3]), 'ShapeError', 'broadcastTo', '[2, 3]', '[4, 3]');
    expectEngineError(() => T.broadcastTo(z(3), [3, 1]), 'ShapeError', 'broadcastTo', '[3]', '[3, 1]');
  });
  it('softmax / logSoftmax', () => {
    expectEngineError(() => T.softmax(T.scalar(1)), 'ShapeError', 'softmax');
    expectEngineError(() => T.logSoftmax(z(2, 3), 2), 'ArgumentError', 'logSoftmax');
  });
  it('conv2d', () => {
    expectEngineError(() => T.conv2d(z(1, 3, 5, 5), z(2, 4, 3, 3)), 'ShapeError', 'conv2d', '[1, 3, 5, 5]', '[2, 4, 3, 3]');
    expectEngineError(() => T.conv2d(z(3, 5, 5), z(2, 3, 3, 3)), 'ShapeError', 'conv2d', '[3, 5, 5]');
    expectEngineError(() => T.conv2d(z(1, 1, 2, 2), z(1, 1, 3, 3)), 'ShapeError', 'conv2d', 'kernel larger');
    expectEngineError(() => T.conv2d(z(1, 1, 4, 4), z(1, 1, 3, 3), { stride: 0 }), 'ArgumentError', 'conv2d', 'stride');
    // the fused form checks its bias and activation, then everything conv2d checks
    expectEngineError(() => T.conv2dBiasAct(z(1, 3, 5, 5), z(2, 3, 3, 3), z(3)), 'ShapeError', 'conv2dBiasAct', '[2, 3, 3, 3]', '[3]');
    expectEngineError(() => T.conv2dBiasAct(z(1, 3, 5, 5), z(2, 3, 3, 3), z(2), { activation: 'tanh' as 'relu' }), 'ArgumentError', 'conv2dBiasAct', 'tanh');
    expectEngineError(() => T.conv2dBiasAct(z(1, 3, 5, 5), z(2, 4, 3, 3), z(2)), 'ShapeError', 'conv2dBiasAct', 'channels differ');
    expectEngineError(() => T.conv2d(z(1, 1, 4, 4), z(1, 1, 3, 3), { padding: -1 }), 'ArgumentError', 'conv2d', 'padding');
  });
  it('pools', () => {
    expectEngineError(() => T.maxPool2d(z(1, 1, 4, 4), { kernel: 2, padding: 2 }), 'ArgumentError', 'maxPool2d', 'half the kernel');
    expectEngineError(() => T.avgPool2d(z(1, 1, 2, 2), { kernel: 3 }), 'ShapeError', 'avgPool2d', '[1, 1, 2, 2]');
    expectEngineError(() => T.maxPool2d(z(4, 4), { kernel: 2 }), 'ShapeError', 'maxPool2d', '[4, 4]');
    expectEngineError(() => T.adaptiveAvgPool2d(z(1, 1, 4, 4), [0, 2]), 'ArgumentError', 'adaptiveAvgPool2d');
  });
  it('dropout / normalisation / norms', () => {
    expectEngineError(() => T.dropout(z(3), 1, Rng.fromSeed(1), true), 'ArgumentError', 'dropout');
    expectEngineError(() => T.dropout(z(3), -0.1, Rng.fromSeed(1), true), 'ArgumentError', 'dropout');
    expectEngineError(() => T.normalize(z(2, 3), z(4), z(3), 1e-5), 'ShapeError', 'normalize', '[2, 3]', '[4]');
    expectEngineError(() => T.normalize(z(3), z(2, 3), z(3), 1e-5), 'ShapeError', 'normalize', '[3]', '[2, 3]');
    expectEngineError(() => T.batchNormTrain(z(2, 3), [2], 1e-5), 'ArgumentError', 'batchNormTrain');
    expectEngineError(() => T.layerNorm(z(2, 3), z(4), z(3)), 'ShapeError', 'layerNorm', '[2, 3]', '[4]');
    expectEngineError(() => T.cosineSimilarity(z(2, 3), z(4)), 'ShapeError', 'cosineSimilarity', '[2, 3]', '[4]');
    expectEngineError(() => T.l2Norm(z(2, 3), 0, false, -1), 'ArgumentError', 'l2Norm');
  });
  it('a released tensor used again', () => {
    const x = z(2);
    x.dispose();
    expectEngineError(() => T.detach(x), 'DisposedError', 'Tensor');
  });
});
