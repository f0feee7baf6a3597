/** Pooling layers over NCHW (parameter-free). */
import * as T from '../ops/index.js';
import type { Pool2dOptions } from '../ops/pool.js';
import { stateless, type Module } from './module.js';

export const maxPool2d = (o: Pool2dOptions): Module => stateless('MaxPool2d', (x) => T.maxPool2d(x, o));
export const avgPool2d = (o: Pool2dOptions): Module => stateless('AvgPool2d', (x) => T.avgPool2d(x, o));
export const adaptiveAvgPool2d = (out: readonly [number, number]): Module =>
  stateless(`AdaptiveAvgPool2d(${out.join('x')})`, (x) => T.adaptiveAvgPool2d(x, out));
/** Mean over all spatial cells, then flattened: [N, C, H, W] -> [N, C]. */
export const globalAvgPool = (): Module => stateless('GlobalAvgPool', (x) => T.mean(x, [2, 3]));
