/** The op layer: every tensor operation the engine offers. Import as `import * as T from '.../lib/ops/index.js'`. */
export * from './create.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape-ops.js';
export * from './matmul.js';
