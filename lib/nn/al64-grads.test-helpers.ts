/**
 * A tiny AL64 encoder (16 px, width 0.25) forward and backward on a given backend, shared by
 * kernels/gpujs/webgpu/webgpu-grads.test.ts and the WebGPU page's checks
 * (test/webgpu-browser/page/checks.ts, bundled for a browser: no node:* imports).
 * Returns the output, the loss (mean of squares) and every parameter gradient as plain arrays.
 */
import type { Backend } from '../backend/backend.js';
import * as T from '../ops/index.js';
import { valueAndGradTree } from '../optim/grads.js';
import { Rng } from '../rng/rng.js';
import { createAl64 } from './al64.js';
import { initModule } from './module.js';

export const al64GradFigures = (backend: Backend) => {
  const m = createAl64({ inputSize: 16, width: 0.25, hidden: 16, latent: 8, dropout: 0 }).encoder;
  const { params, state } = initModule(m, Rng.fromSeed(3), { backend });
  const x = T.randomUniform([3, 3, 16, 16], Rng.fromSeed(4), -1, 1, { backend });
  const { out, grads } = valueAndGradTree(params, () => {
    const y = m.apply(params, state, x, { training: true, rng: Rng.fromSeed(5) }).y;
    return { loss: T.mean(T.square(y)), y };
  });
  return { y: Array.from(out.y.toArray()), loss: out.loss.item(), grads: new Map([...grads].map(([k, g]) => [k, Array.from(g.toArray())])) };
};
