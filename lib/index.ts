/**
 * The engine's barrel: tensors and scopes, ops, autodiff, errors, randomness and the backend
 * contract. Backends themselves live in kernels/ (lib never imports them).
 */
export { Tensor, type TapeNode } from './tensor/tensor.js';
export { scope, keep, scopeDepth, collectTensors } from './tensor/scope.js';
export * from './tensor/shape.js';
export * from './tensor/dtype.js';
export * from './ops/index.js';
export * as ops from './ops/index.js'; // also as a namespace: import { ops as T } from '.../lib/index.js'
export * from './autograd/index.js';
export * from './errors.js';
export { Rng, type RngState } from './rng/rng.js';
export type * from './backend/backend.js';
export { useBackend, currentBackend } from './backend/current.js';
