/**
 * ResNet18 (He et al.) with torchvision's structure and names (conv1, bn1, layer1.0.conv1,
 * layer2.0.downsample.0, fc, ...), so torchvision's state_dict loads by name. `width` is the
 * first stage's channel count (64 in the paper; 8 fits a CPU test); `numClasses` > 0 appends the
 * fc head (11,689,512 parameters at width 64 with 1000 classes), 0 returns the pooled features.
 * Initialisation as torchvision: Kaiming normal (fan_out) convolutions, BN gamma 1 / beta 0.
 */
import * as T from '../ops/index.js';
import { windowOutSize } from '../tensor/shape.js';
import type { Backbone } from './alexnet.js';
import { relu } from './activations.js';
import { batchNorm2d } from './batch-norm.js';
import { conv2d } from './conv2d.js';
import { linear } from './linear.js';
import { composite, foldConvBn, named, type Module } from './module.js';
import { globalAvgPool, maxPool2d } from './pooling.js';

export interface ResNetOptions {
  readonly inputSize?: number;
  readonly inChannels?: number;
  readonly width?: number;
  readonly numClasses?: number;
  /** Blocks per stage (ResNet18: [2, 2, 2, 2]). */
  readonly blocks?: readonly [number, number, number, number];
}

const conv = (i: number, o: number, k: number, stride: number) => conv2d(i, o, k, { stride, padding: (k - 1) / 2, bias: false, init: 'kaiming' });

/** BasicBlock: relu(bn2(conv2(relu(bn1(conv1 x)))) + shortcut(x)). */
export const basicBlock = (inC: number, outC: number, stride: number): Module => {
  const down = stride !== 1 || inC !== outC;
  const children: Array<readonly [string, Module]> = [
    ['conv1', conv(inC, outC, 3, stride)],
    ['bn1', batchNorm2d(outC)],
    ['conv2', conv(outC, outC, 3, 1)],
    ['bn2', batchNorm2d(outC)],
  ];
  if (down)
    children.push([
      'downsample',
      named([
        ['0', conv(inC, outC, 1, stride)],
        ['1', batchNorm2d(outC)],
      ]),
    ]);
  // outside training each conv + bn folds into one convolution (foldConvBn), ReLU included
  return composite('BasicBlock', children, (run, x, ctx, tensors) => {
    const h = foldConvBn(children[0], children[1], x, ctx, tensors, 'relu') ?? T.relu(run('bn1', run('conv1', x)));
    const y = foldConvBn(children[2], children[3], h, ctx, tensors, 'none') ?? run('bn2', run('conv2', h));
    return T.relu(T.add(y, down ? run('downsample', x) : x));
  });
};

export const resnet18 = (o: ResNetOptions = {}): Backbone => {
  const size = o.inputSize ?? 224;
  const inC = o.inChannels ?? 3;
  const w = o.width ?? 64;
  const blocks = o.blocks ?? [2, 2, 2, 2];
  const children: Array<readonly [string, Module]> = [
    ['conv1', conv(inC, w, 7, 2)],
    ['bn1', batchNorm2d(w)],
    ['relu', relu()],
    ['maxpool', maxPool2d({ kernel: 3, stride: 2, padding: 1 })],
  ];
  let c = w;
  blocks.forEach((n, stage) => {
    const outC = w * 2 ** stage;
    const layer = Array.from({ length: n }, (_, i) => [String(i), basicBlock(i === 0 ? c : outC, outC, i === 0 && stage > 0 ? 2 : 1)] as const);
    children.push([`layer${stage + 1}`, named(layer)]);
    c = outC;
  });
  children.push(['avgpool', globalAvgPool()]);
  if (o.numClasses) children.push(['fc', linear(c, o.numClasses)]);
  // the stem must leave at least one cell: 7/2 conv then 3/2 pool
  windowOutSize(windowOutSize(size, 7, 2, 3), 3, 2, 1);
  return { module: named(children, 'ResNet18'), featureDim: o.numClasses || c, inputShape: [inC, size, size] };
};
