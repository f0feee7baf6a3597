/** The ELIM stages, each a `Stage` (stage.ts: a ReaderEither over the Env), and the ELIM branch that composes them. */
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
