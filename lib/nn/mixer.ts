/**
 * MLP-Mixer (Tolstikhin et al.) with timm's names (stem.proj, blocks.i.norm1,
 * blocks.i.mlp_tokens.fc1, blocks.i.mlp_channels.fc2, norm, head). Patch embedding is a
 * patch x patch convolution with stride patch; each block mixes tokens (an MLP across patches,
 * applied to the transposed [B, C, T] layout) then channels, both pre-LayerNorm with residuals;
 * GELU activations; global average over tokens. Mixer-B/16 (224, patch 16, dim 768, depth 12,
 * token MLP 384, channel MLP 3072, 1000 classes) holds 59,880,472 parameters.
 */
import { EngineError } from '../errors.js';
import * as T from '../ops/index.js';
import type { Backbone } from './alexnet.js';
import { gelu } from './activations.js';
import { conv2d } from './conv2d.js';
import { layerNorm } from './layer-norm.js';
import { linear } from './linear.js';
import { composite, named, type Module } from './module.js';

export interface MixerOptions {
  readonly imageSize?: number;
  readonly inChannels?: number;
  readonly patch?: number;
  readonly dim?: number;
  readonly depth?: number;
  readonly tokensHidden?: number;
  readonly channelsHidden?: number;
  readonly numClasses?: number;
}

export const MIXER_B16: MixerOptions = { imageSize: 224, patch: 16, dim: 768, depth: 12, tokensHidden: 384, channelsHidden: 3072, numClasses: 1000 };

const mlp = (inF: number, hidden: number) =>
  named(
    [
      ['fc1', linear(inF, hidden, { init: 'xavier' })],
      ['act', gelu()],
      ['fc2', linear(hidden, inF, { init: 'xavier' })],
    ],
    'Mlp',
  );

export const mixerBlock = (tokens: number, dim: number, tokensHidden: number, channelsHidden: number): Module =>
  composite(
    'MixerBlock',
    [
      ['norm1', layerNorm(dim, 1e-6)],
      ['mlp_tokens', mlp(tokens, tokensHidden)],
      ['norm2', layerNorm(dim, 1e-6)],
      ['mlp_channels', mlp(dim, channelsHidden)],
    ],
    (run, x) => {
      const t = T.transpose(run('mlp_tokens', T.transpose(run('norm1', x)))); // mix along the token axis
      const h = T.add(x, t);
      return T.add(h, run('mlp_channels', run('norm2', h)));
    },
  );

export const mlpMixer = (o: MixerOptions = {}): Backbone => {
  const size = o.imageSize ?? 224;
  const inC = o.inChannels ?? 3;
  const p = o.patch ?? 16;
  const dim = o.dim ?? 768;
  if (size % p !== 0) throw new EngineError('ArgumentError', 'mlpMixer', `image size ${size} is not a multiple of the patch ${p}`);
  const tokens = (size / p) ** 2;
  const children: Array<readonly [string, Module]> = [
    ['stem', named([['proj', conv2d(inC, dim, p, { stride: p })]])],
    [
      'blocks',
      named(Array.from({ length: o.depth ?? 12 }, (_, i) => [String(i), mixerBlock(tokens, dim, o.tokensHidden ?? 384, o.channelsHidden ?? 3072)] as const)),
    ],
    ['norm', layerNorm(dim, 1e-6)],
  ];
  if (o.numClasses) children.push(['head', linear(dim, o.numClasses)]);
  const module = composite('MlpMixer', children, (run, x) => {
    const e = run('stem', x); // [B, dim, H/p, W/p]
    const seq = T.transpose(T.reshape(e, [e.shape[0], dim, tokens])); // [B, T, dim]
    const pooled = T.mean(run('norm', run('blocks', seq)), 1);
    return o.numClasses ? run('head', pooled) : pooled;
  });
  return { module, featureDim: o.numClasses || dim, inputShape: [inC, size, size] };
};
