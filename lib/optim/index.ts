/** Optimisers, schedules, gradient clipping. */
export * from './optimizer.js';
export * from './adam.js';
export * from './sgd.js';
export * from './schedules.js';
export * from './clip.js';
export * from './grads.js';
