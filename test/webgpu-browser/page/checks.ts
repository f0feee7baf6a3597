/**
 * What the page computes on a backend, for the Node side to compare WebGPU with the CPU backend
 * (both run in the same page worker): the gradient checks of kernels/gpujs/webgpu/webgpu-grads
 * (AL64 encoder, elimStep and baselineStep on the toy problem), and an ELIM training step,
 * evaluation and prediction from a checkpoint written by `elim train`.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Backend } from '../../../lib/backend/backend.js';
import { useBackend } from '../../../lib/backend/current.js';
import { createAl64 } from '../../../lib/nn/al64.js';
import { initModule } from '../../../lib/nn/module.js';
import { disposeTree, mergeTrees, subtree } from '../../../lib/nn/tree.js';
import * as T from '../../../lib/ops/index.js';
import { valueAndGradTree } from '../../../lib/optim/grads.js';
import { sgd } from '../../../lib/optim/sgd.js';
import { Rng } from '../../../lib/rng/rng.js';
import { baselineStep } from '../../../pipelines/baseline.js';
import { makeConfig } from '../../../pipelines/config.js';
import { elimStep, withGrad } from '../../../pipelines/elim.js';
import { makeEnv } from '../../../pipelines/env.js';
import { formatElimError } from '../../../pipelines/errors.js';
import { encode, toyProblem } from '../../../pipelines/stages/testing/toy.js';
import { predictImages, vaMetrics } from '../../../pipelines/train/evaluate.js';
import { loadTrainedModelFromBytes } from '../../../pipelines/train/model-from-bytes.js';

const arr = (t: { toArray(): ArrayLike<number> }) => Array.from(t.toArray());

/** AL64 encoder (16 px, width 0.25): output, loss and every parameter gradient. */
export const al64Grads = (backend: Backend) => {
  useBackend(backend);
  const m = createAl64({ inputSize: 16, width: 0.25, hidden: 16, latent: 8, dropout: 0 }).encoder;
  const { params, state } = initModule(m, Rng.fromSeed(3), { backend });
  const x = T.randomUniform([3, 3, 16, 16], Rng.fromSeed(4), -1, 1, { backend });
  const { out, grads } = valueAndGradTree(params, () => {
    const y = m.apply(params, state, x, { training: true, rng: Rng.fromSeed(5) }).y;
    return { loss: T.mean(T.square(y)), y };
  });
  return { y: arr(out.y), loss: out.loss.item(), grads: Object.fromEntries([...grads].map(([k, g]) => [k, arr(g)])) };
};

/** elimStep or baselineStep through the pipeline's stages on the toy problem: loss and gradients. */
export const toyStep = (backend: Backend, which: 'elim' | 'baseline') => {
  useBackend(backend);
  const env = makeEnv({ config: makeConfig({ domains: 3, topk: 2 }), seed: 4 });
  const toy = toyProblem({ seed: 2, ids: 3, perId: 3, inputDim: 4, latent: 4 });
  const m = toy.init(Rng.fromSeed(6));
  const batch = toy.batch(Rng.fromSeed(7));
  const params = mergeTrees({ encoder: m.encoder.params, projector: m.projector.params });
  const step = which === 'elim' ? elimStep : baselineStep;
  const r = withGrad(params, () => {
    const z = encode(toy.encoder, m.encoder.params, m.encoder.state, batch.x);
    return step({ z, labels: batch.labels, keys: batch.keys, iteration: 100, models: { projector: { module: toy.projector, ...m.projector } } })(env);
  });
  if (E.isLeft(r)) throw new Error(formatElimError(r.left));
  return { loss: r.right.out.loss.item(), main: r.right.out.terms.main.item(), grads: [...r.right.grads.values()].map(arr) };
};

/**
 * From the checkpoint: predictions on 6 images; one ELIM training step (3 identities x 4 images,
 * SGD lr 0.05) with its loss, main term and squared gradient norm; then the updated model's
 * evaluation (its predictions and VA metrics on the 6 images).
 */
export const checkpointRound = (backend: Backend, bytes: Uint8Array) => {
  useBackend(backend);
  const loaded = loadTrainedModelFromBytes(bytes, backend);
  if (E.isLeft(loaded)) throw new Error(loaded.left);
  const model = loaded.right;
  const s = model.model.spec.inputSize;
  const rng = Rng.fromSeed(21);
  const evalX = new Float32Array(6 * 3 * s * s);
  rng.fillUniform(evalX, -2, 2);
  const evalY = new Float32Array(12);
  rng.fillUniform(evalY, -1, 1);
  const before = predictImages(model, evalX, 6, backend).predictions;

  const n = 12;
  const x = new Float32Array(n * 3 * s * s);
  rng.fillUniform(x, -2, 2);
  const y = new Float32Array(n * 2);
  rng.fillUniform(y, -1, 1);
  const keys = Array.from({ length: n }, (_, i) => `id${i % 3}`);
  const xt = T.tensor(x, [n, 3, s, s], { backend });
  const labels = T.tensor(y, [n, 2], { backend });
  const env = makeEnv({ config: model.elim, seed: 5 });
  const params = model.params;
  const r = withGrad(params, () => {
    const z = model.model.encoder.apply(subtree(params, 'encoder'), subtree(model.state, 'encoder'), xt, { training: true, rng: Rng.fromSeed(8) }).y;
    const projector = { module: model.model.projector, params: subtree(params, 'projector'), state: subtree(model.state, 'projector') };
    return elimStep({ z, labels, keys, iteration: 10_000, models: { projector } })(env);
  });
  if (E.isLeft(r)) throw new Error(formatElimError(r.left));
  const o = r.right.out;
  let gradSumSq = 0;
  for (const g of r.right.grads.values()) gradSumSq += T.sum(T.square(g)).item();
  const step = { loss: o.loss.item(), main: o.terms.main.item(), outcome: o.outcome._tag, gradSumSq };
  const opt = sgd({ lr: 0.05 });
  const next = opt.step(params, r.right.grads, opt.init(params));
  const trained = { ...model, params: next.params };
  const after = predictImages(trained, evalX, 6, backend).predictions;
  const metrics = vaMetrics(evalY, after);
  disposeTree(next.params);
  disposeTree(model.state);
  for (const t of [xt, labels, o.loss]) t.dispose();
  return { step, before: Array.from(before), after: Array.from(after), metrics };
};
