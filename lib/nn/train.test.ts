import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import { adam } from '../optim/adam.js';
import { clipGradNorm } from '../optim/clip.js';
import { valueAndGradTree } from '../optim/grads.js';
import type { OptimizerState } from '../optim/optimizer.js';
import { disposeReplaced, type ParamTree, type StateTree } from './tree.js';
import type { Tensor } from '../tensor/tensor.js';
import * as nn from './index.js';

const backend = useBackend(createCpuBackend());

/** 100 Adam steps fitting random targets for n fixed random images: the loss must fall a lot. */
const fits = (b: nn.Backbone, n = 4, lr = 3e-3) => {
  const model = nn.named([
    ['backbone', b.module],
    ['head', nn.linear(b.featureDim, 2)],
  ]);
  const { params, state } = nn.initModule(model, Rng.fromSeed(1));
  const opt = adam({ lr });
  const x = T.randomNormal([n, ...b.inputShape], Rng.fromSeed(2));
  const y = T.randomUniform([n, 2], Rng.fromSeed(3), -1, 1);
  const mse = (out: Tensor) => T.mean(T.square(T.sub(out, y)));
  let s: { params: ParamTree; state: StateTree; opt: OptimizerState } = { params, state, opt: opt.init(params) };
  const live = backend.liveHandles();
  const losses: number[] = [];
  for (let i = 0; i < 100; i++) {
    // forward, loss, gradients, clipping to norm 5, Adam; the loss read and replaced state released
    const { out, grads } = valueAndGradTree(s.params, () => {
      const r = model.apply(s.params, s.state, x, { training: true });
      return { loss: mse(r.y), state: r.state };
    });
    losses.push(out.loss.item());
    out.loss.dispose();
    disposeReplaced(s.state, out.state);
    const u = opt.step(s.params, clipGradNorm(grads, 5).grads, s.opt);
    s = { params: u.params, state: out.state, opt: u.state };
  }
  expect(backend.liveHandles()).toBe(live); // flat memory over 100 steps
  const first = losses.slice(0, 5).reduce((a, v) => a + v) / 5;
  const last = losses.slice(-5).reduce((a, v) => a + v) / 5;
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(last).toBeLessThan(first * 0.3);
  return losses;
};

describe('each backbone trains on a tiny problem (100 steps, CPU)', () => {
  it('AlexNet features (63x63x1, width 1/16)', () => void fits(nn.alexnetFeatures({ inputSize: 63, inChannels: 1, width: 1 / 16 })));
  it('ResNet18 (16x16, width 2)', () => void fits(nn.resnet18({ inputSize: 16, width: 2 })));
  it('MLP-Mixer (16x16, patch 4, dim 16, depth 2)', () =>
    void fits(nn.mlpMixer({ imageSize: 16, patch: 4, dim: 16, depth: 2, tokensHidden: 8, channelsHidden: 32 })));
  it('AL64 tiny encoder + projector', () => {
    const al = nn.createAl64({ ...nn.AL64_TINY, dropout: 0 });
    const model = nn.named([
      ['encoder', al.encoder],
      ['projector', al.projector],
    ]);
    fits({ module: model, featureDim: 2, inputShape: al.backbone.inputShape }, 4, 2e-3);
  });
});
