/** Parameter-free layers: activations, flatten, identity. */
import * as T from '../ops/index.js';
import { stateless, type Module } from './module.js';

export const relu = (): Module => stateless('ReLU', (x) => T.relu(x));
/** tanh-approximated GELU (the op layer's definition). */
export const gelu = (): Module => stateless('GELU', (x) => T.gelu(x));
export const tanh = (): Module => stateless('Tanh', (x) => T.tanh(x));
export const flatten = (startAxis = 1): Module => stateless('Flatten', (x) => T.flatten(x, startAxis));
export const identity = (): Module => stateless('Identity', (x) => x);
