/**
 * The toy-problem step set-up shared by the step tests (pipelines/gpujs, gpujs-readbacks,
 * kernels/gpujs/webgpu/webgpu-grads) and the WebGPU page's checks: one fixed config, toy problem,
 * model and batch, and the step (elimStep or baselineStep) run under withGrad on them.
 * Browser-safe (test/webgpu-browser/page bundles it): no node:* imports.
 * Call it after `useBackend`: the model and batch are made on the current backend.
 */
import type { Tensor } from '../../../lib/tensor/tensor.js';
import { mergeTrees } from '../../../lib/nn/tree.js';
import { Rng } from '../../../lib/rng/rng.js';
import type { StepInput, StepOutput } from '../../baseline.js';
import { makeConfig } from '../../config.js';
import { withGrad } from '../../elim.js';
import { makeEnv } from '../../env.js';
import type { Stage } from '../stage.js';
import { encode, toyProblem } from './toy.js';

export const toyStepSetup = () => {
  const env = makeEnv({ config: makeConfig({ domains: 3, topk: 2 }), seed: 4 });
  const toy = toyProblem({ seed: 2, ids: 3, perId: 3, inputDim: 4, latent: 4 });
  const m = toy.init(Rng.fromSeed(6));
  const batch = toy.batch(Rng.fromSeed(7));
  const params = mergeTrees({ encoder: m.encoder.params, projector: m.projector.params });
  /** The step on the toy batch (encoder forward included) with the gradient of every parameter. */
  const run = (step: Stage<StepInput, StepOutput>) =>
    withGrad(params, () => {
      const z = encode(toy.encoder, m.encoder.params, m.encoder.state, batch.x);
      return step({ z, labels: batch.labels, keys: batch.keys, iteration: 100, models: { projector: { module: toy.projector, ...m.projector } } })(env);
    });
  return { params, run };
};

/** What the step tests compare: loss, main term and every gradient, read back as plain arrays. */
export const stepFigures = (r: { out: StepOutput; grads: Map<string, Tensor> }) => ({
  loss: r.out.loss.item(),
  main: r.out.terms.main.item(),
  grads: [...r.grads.values()].map((g) => Array.from(g.toArray())),
});
