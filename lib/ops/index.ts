/**
 * The op layer: every tensor operation the engine offers. Import as `import * as T from '.../lib/ops/index.js'`.
 *
 * Errors: a shape, dtype or argument mistake throws an EngineError naming the op (and both
 * shapes where two meet), before any kernel runs.
 * NaN: ops propagate NaN and Inf as IEEE arithmetic does (a NaN in a softmax row makes the row
 * NaN; max/min and max-pool let NaN win; comparisons with NaN give 0). No op checks finiteness:
 * that is the caller's job (e.g. a NumericError at a stage boundary).
 */
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
export * from './grad-reverse.js';
export * from './optim-update.js';
