/** Layers, backbones and heads. A model = a Module (pure description) + params + state; see module.ts. */
export * from './tree.js';
export * from './init.js';
export * from './module.js';
export * from './linear.js';
export * from './conv2d.js';
export * from './batch-norm.js';
export * from './layer-norm.js';
export * from './dropout.js';
export * from './pooling.js';
export * from './attention.js';
export * from './activations.js';
export * from './alexnet.js';
export * from './resnet.js';
export * from './mixer.js';
export * from './heads.js';
export * from './al64.js';
export * from './summary.js';
