/** Autodiff: recording switch, reverse-mode gradients, the one table of gradient rules. */
export { grad, valueAndGrad } from './grad.js';
export { noGrad, record, isRecording } from './tape.js';
export { VJP_TABLE, unbroadcast, type VjpRule } from './vjp-table.js';
