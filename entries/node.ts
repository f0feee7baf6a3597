/**
 * `elim-ts/node`: the Node-only parts (they read and write files, start worker threads, draw
 * PNGs): dataset loaders and image workers, training runs with their folders, reports, checkpoint
 * files, the relaxed-SIMD switch and the CLI. Everything in the root entry is re-exported too,
 * so a Node program can import from here alone.
 */
export * from './index.js';
export * as data from '../pipelines/data/index.js';
export * as report from '../pipelines/report/index.js';
export { train, type TrainInputs, type TrainResult, type TrainSettings, type TrainError, type StepRecord } from '../pipelines/train/trainer.js';
export { executeRun, type RunOptions, type RunOutputs, type RunError } from '../pipelines/train/run.js';
export { loadRunData, type DataSpec, type DataSource, type RunData } from '../pipelines/train/load-data.js';
export { loadTrainedModel } from '../pipelines/train/load-model.js';
export { evaluateSet, predictSet, type Evaluation, type IdentityMetrics } from '../pipelines/train/evaluate.js';
export { imageSetFromSynthetic, subset, subsetByIdentity, assembleBatch, type ImageSet } from '../pipelines/train/image-set.js';
export { nodeFileIO } from '../pipelines/io/node-file-io.js';
export { writeFileAtomic, writeJsonAtomic } from '../pipelines/io/atomic.js';
export { enableRelaxedSimd } from '../kernels/cpu/wasm/relaxed-flag.js';
export { main as cliMain } from '../pipelines/cli/main.js';
