/** The ELIM stages: each exported as an effectful `Stage` (RTE) and its synchronous core (`*Sync`). */
export * from './stage.js';
export * from './validate.js';
export * from './group.js';
export * from './sample.js';
export * from './transport.js';
export * from './attention.js';
export * from './normalize.js';
export * from './project.js';
export * from './loss.js';
export * from './branch.js';
