/**
 * AlexNet-style feature extractor with torchvision's layer indices (features.0, .3, .6, .8, .10
 * are the convolutions), so torchvision's `features.*` weights load by name. `width` scales the
 * channel counts (64, 192, 384, 256, 256); at width 1 the features hold 2,469,696 parameters
 * (the paper's "2.5M"). Output: flattened features (optionally adaptive-average-pooled first,
 * as torchvision's `avgpool` to 6x6).
 */
import { EngineError } from '../errors.js';
import { windowOutSize } from '../tensor/shape.js';
import { flatten, relu } from './activations.js';
import { conv2d } from './conv2d.js';
import { named, sequential, type Module } from './module.js';
import { adaptiveAvgPool2d, maxPool2d } from './pooling.js';

export interface Backbone {
  readonly module: Module;
  /** Length of the flattened output per sample. */
  readonly featureDim: number;
  readonly inputShape: readonly [number, number, number];
}

export interface AlexNetOptions {
  readonly inputSize?: number;
  readonly inChannels?: number;
  readonly width?: number;
  /** Adaptive average pool to this size before flattening (torchvision: [6, 6]); none by default. */
  readonly pool?: readonly [number, number];
}

export const scaled = (c: number, width: number) => Math.max(1, Math.round(c * width));

export const alexnetFeatures = (o: AlexNetOptions = {}): Backbone => {
  const size = o.inputSize ?? 224;
  const inC = o.inChannels ?? 3;
  const [c1, c2, c3, c4, c5] = [64, 192, 384, 256, 256].map((c) => scaled(c, o.width ?? 1));
  const pool = () => maxPool2d({ kernel: 3, stride: 2 });
  const features = sequential([
    conv2d(inC, c1, 11, { stride: 4, padding: 2 }),
    relu(),
    pool(),
    conv2d(c1, c2, 5, { padding: 2 }),
    relu(),
    pool(),
    conv2d(c2, c3, 3, { padding: 1 }),
    relu(),
    conv2d(c3, c4, 3, { padding: 1 }),
    relu(),
    conv2d(c4, c5, 3, { padding: 1 }),
    relu(),
    pool(),
  ]);
  // conv1 then three 3/2 max-pools; the other convolutions keep the size
  const p3 = (n: number) => windowOutSize(n, 3, 2, 0);
  const s = p3(p3(p3(windowOutSize(size, 11, 4, 2))));
  if (s < 1) throw new EngineError('ArgumentError', 'alexnetFeatures', `input size ${size} is too small (63 is the least)`);
  const out = o.pool ?? [s, s];
  const children: Array<readonly [string, Module]> = [['features', features]];
  if (o.pool) children.push(['avgpool', adaptiveAvgPool2d(o.pool)]);
  children.push(['flatten', flatten()]);
  return { module: named(children, 'AlexNetFeatures'), featureDim: c5 * out[0] * out[1], inputShape: [inC, size, size] };
};
