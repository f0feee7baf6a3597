/** The op layer: every tensor operation the engine offers. Import as `import * as T from '.../lib/ops/index.js'`. */
export * from './create.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './matmul.js';
export * from './indexing.js';
export * from './join.js';
export * from './softmax.js';
export * from './conv.js';
export * from './pool.js';
export * from './dropout.js';
export * from './normalization.js';
export * from './norms.js';
export * from './detach.js';
