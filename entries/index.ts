/**
 * The package's root entry (`import ... from 'elim-ts'`): everything needed to compose ELIM in
 * code, safe to load in Node and in a browser (no node:* module, no `process`, no worker or
 * SharedArrayBuffer use at load time; the CPU backend starts its workers only when asked).
 * Node-only parts (file loaders, image workers, run folders, reports, the CLI) are in
 * `elim-ts/node` (entries/node.ts).
 *
 * Flat names for the engine (tensors, ops, autodiff, errors, RNG, backend contract); one
 * namespace per area whose names would otherwise collide or crowd the top level.
 */
export * from '../lib/index.js';
export * as nn from '../lib/nn/index.js';
export * as optim from '../lib/optim/index.js';
export * as ot from '../lib/ot/index.js';
export * as metrics from '../lib/metrics/index.js';
export * as losses from '../lib/losses/index.js';
export * as checkpoint from '../lib/checkpoint/index.js';
export * as stages from '../pipelines/stages/index.js';

// ELIM: the steps and their composition, options, environment, errors
export { elimStep, elimOnlyStep, withGrad, disabledReason } from '../pipelines/elim.js';
export { baselineStep, batchPart } from '../pipelines/baseline.js';
export type { StepInput, StepOutput, StepModels, ElimOutcome, DisabledReason, BatchPart } from '../pipelines/baseline.js';
export * from '../pipelines/config.js';
export * from '../pipelines/env.js';
export * from '../pipelines/errors.js';

// models: the paper's backbones with their heads, built from a spec; inference
export { buildModel, initModel, nextModelState, parameterCount } from '../pipelines/train/model.js';
export type { BackboneName, ModelSpec, Model, ModelTensors, TrainedModel } from '../pipelines/train/model.js';
export { predictImages, vaMetrics, type PredictOptions, type VaMetrics } from '../pipelines/train/evaluate.js';
export { loadTrainedModelFromBytes, loadTrainedModelFromUrl, type LoadedModel } from '../pipelines/train/model-from-bytes.js';
export { fetchBytes, type FetchBytesOptions, type FetchProgress, type AbortSignalLike } from '../pipelines/io/fetch-bytes.js';

// backends
export { selectBackend, BACKEND_REQUESTS, type BackendRequest } from '../kernels/select.js';
export { createCpuBackend, createCpuBackendAsync, type CpuBackend, type CpuBackendOptions } from '../kernels/cpu/cpu-backend.js';
