/**
 * What the page computes on a backend, for the Node side to compare WebGPU with the CPU backend
 * (both run in the same page worker): the gradient checks of kernels/gpujs/webgpu/webgpu-grads
 * (AL64 encoder, elimStep and baselineStep on the toy problem), and an ELIM training step,
 * evaluation and prediction from a checkpoint written by `elim train`.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Backend } from '../../../lib/backend/backend.js';
import { useBackend } from '../../../lib/backend/current.js';
import { al64GradFigures } from '../../../lib/nn/al64-grads.test-helpers.js';
import { disposeTree, subtree } from '../../../lib/nn/tree.js';
import * as T from '../../../lib/ops/index.js';
import { sgd } from '../../../lib/optim/sgd.js';
import { Rng } from '../../../lib/rng/rng.js';
import { baselineStep } from '../../../pipelines/baseline.js';
import { elimStep, withGrad } from '../../../pipelines/elim.js';
import { makeEnv } from '../../../pipelines/env.js';
import { formatElimError } from '../../../pipelines/errors.js';
import { stepFigures, toyStepSetup } from '../../../pipelines/stages/testing/toy-step.test-helpers.js';
import { predictImages, vaMetrics } from '../../../pipelines/train/evaluate.js';
import { loadTrainedModelFromBytes } from '../../../pipelines/train/model-from-bytes.js';

/** AL64 encoder (16 px, width 0.25): output, loss and every parameter gradient. */
export const al64Grads = (backend: Backend) => {
  useBackend(backend);
  const { y, loss, grads } = al64GradFigures(backend);
  return { y, loss, grads: Object.fromEntries(grads) };
};

/** elimStep or baselineStep through the pipeline's stages on the toy problem: loss and gradients. */
export const toyStep = (backend: Backend, which: 'elim' | 'baseline') => {
  useBackend(backend);
  const r = toyStepSetup().run(which === 'elim' ? elimStep : baselineStep);
  if (E.isLeft(r)) throw new Error(formatElimError(r.left));
  return stepFigures(r.right);
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
