/**
 * Optimal transport for ELIM: geometry (cost.ts, relevance.ts; tensor versions in
 * cost-tensor.ts) -> validated problem (problem.ts) -> solver (sinkhorn-scaling.ts: Alg. 1;
 * sinkhorn-log.ts: stabilised; batched.ts: many problems per call and the reference of the
 * backends' batched primitive; device.ts: that primitive on tensors; exact.ts: unregularised
 * reference) -> output record (output.ts). JSON interop for the CLI: interop.ts.
 */
export * from './errors.js';
export * from './options.js';
export * from './problem.js';
export * from './cost.js';
export * from './cost-tensor.js';
export * from './relevance.js';
export * from './output.js';
export * from './sinkhorn-scaling.js';
export * from './sinkhorn-log.js';
export * from './batched.js';
export * from './device.js';
export * from './exact.js';
export * from './solve.js';
