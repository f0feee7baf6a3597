/** Evaluation metrics (RMSE, SAGR, PCC, CCC per VA axis) and the JSON interop of `elim metrics` / `elim loss`. */
export * from './errors.js';
export * from './metrics.js';
export * from './interop.js';
