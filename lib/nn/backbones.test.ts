import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import * as nn from './index.js';

useBackend(createCpuBackend());

describe('parameter counts at the paper sizes (from shapes)', () => {
  it('AlexNet features ~2.47M, ResNet18 ~11.7M, Mixer-B/16 ~59.9M, projector(64) ~88K', () => {
    expect(nn.countParams(nn.alexnetFeatures().module)).toBe(2_469_696);
    expect(nn.countParams(nn.resnet18({ numClasses: 1000 }).module)).toBe(11_689_512);
    expect(nn.countParams(nn.mlpMixer(nn.MIXER_B16).module)).toBe(59_880_472);
    expect(nn.countParams(nn.projector(64))).toBe(88_322);
    const s = nn.summary(nn.resnet18({ numClasses: 1000 }).module);
    expect(s).toContain('11,689,512');
    expect(s).toContain('layer4');
  });
  it('uses torchvision / timm names', () => {
    const names = (m: nn.Module) => m.params.map((p) => p.name).concat(m.state.map((p) => p.name));
    expect(names(nn.alexnetFeatures().module)).toEqual(expect.arrayContaining(['features.0.weight', 'features.3.bias', 'features.10.weight']));
    expect(names(nn.resnet18({ numClasses: 1000 }).module)).toEqual(
      expect.arrayContaining([
        'conv1.weight',
        'bn1.running_mean',
        'layer1.0.conv1.weight',
        'layer2.0.downsample.0.weight',
        'layer2.0.downsample.1.running_var',
        'fc.weight',
      ]),
    );
    expect(names(nn.mlpMixer(nn.MIXER_B16).module)).toEqual(
      expect.arrayContaining(['stem.proj.weight', 'blocks.11.mlp_tokens.fc1.weight', 'blocks.0.mlp_channels.fc2.bias', 'norm.weight', 'head.weight']),
    );
  });
  it('AL64 full: flatten 8192 and the listed layer sizes', () => {
    const al = nn.createAl64();
    expect(al.backbone.featureDim).toBe(8192);
    expect(al.inputShape).toEqual([64, 3, 64, 64]);
    const conv = 3 * 32 * 25 + 32 + 32 * 64 * 9 + 64 + 64 * 128 * 9 + 128 + 128 * 128 * 9 + 128;
    const reg = 8192 * 256 + 256 + 256 * 64 + 64 + 2 * 64;
    expect(nn.countParams(al.encoder)).toBe(conv + reg);
    expect(nn.countParams(al.projector)).toBe(88_322);
  });
});

describe('forward shapes at tiny sizes', () => {
  const run = (b: nn.Backbone, n = 2) => {
    const { params, state } = nn.initModule(b.module, Rng.fromSeed(1));
    const x = T.randomNormal([n, ...b.inputShape], Rng.fromSeed(2));
    const r = b.module.apply(params, state, x, { training: true, rng: Rng.fromSeed(3) });
    expect(r.y.shape).toEqual([n, b.featureDim]);
    expect(Array.from(r.y.toArray()).every(Number.isFinite)).toBe(true);
    return { params, state, r };
  };
  it('AlexNet (64x64, width 1/8)', () => run(nn.alexnetFeatures({ inputSize: 64, width: 0.125 })));
  it('ResNet18 (32x32, width 4), BN state threaded', () => {
    const { state, r } = run(nn.resnet18({ inputSize: 32, width: 4 }));
    expect([...r.state.keys()].sort()).toEqual([...state.keys()].sort());
    expect(r.state.get('layer3.0.downsample.1.running_mean')).not.toBe(state.get('layer3.0.downsample.1.running_mean'));
  });
  it('MLP-Mixer (16x16, patch 4, dim 8, depth 2)', () => run(nn.mlpMixer({ imageSize: 16, patch: 4, dim: 8, depth: 2, tokensHidden: 6, channelsHidden: 16 })));
  it('AL64 tiny encoder + projector', () => {
    const al = nn.createAl64(nn.AL64_TINY);
    const enc = nn.initModule(al.encoder, Rng.fromSeed(1));
    const proj = nn.initModule(al.projector, Rng.fromSeed(2));
    const x = T.randomNormal([4, 3, 16, 16], Rng.fromSeed(2));
    const z = al.encoder.apply(enc.params, enc.state, x, { training: true, rng: Rng.fromSeed(3) }).y;
    expect(z.shape).toEqual([4, al.latentDim]);
    const y = al.projector.apply(proj.params, proj.state, z, { training: false }).y;
    expect(y.shape).toEqual([4, 2]);
  });
});

describe('projector BatchNorm modes (the ELIM branch)', () => {
  it('updateStats=false: batch statistics, running statistics returned untouched; default training updates them', () => {
    const proj = nn.projector(4);
    const { params, state } = nn.initModule(proj, Rng.fromSeed(1));
    const z = T.randomNormal([6, 4], Rng.fromSeed(2));
    const frozen = proj.apply(params, state, z, { training: true, updateStats: false });
    const updating = proj.apply(params, state, z, { training: true });
    expect(Array.from(frozen.y.toArray())).toEqual(Array.from(updating.y.toArray()));
    expect(frozen.state.get('1.running_mean')).toBe(state.get('1.running_mean'));
    expect(updating.state.get('1.running_mean')).not.toBe(state.get('1.running_mean'));
    const evalY = proj.apply(params, state, z, { training: false }).y;
    expect(Array.from(evalY.toArray())).not.toEqual(Array.from(frozen.y.toArray()));
  });
});
