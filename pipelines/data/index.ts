/** The data layer's public API (loaders, image pipeline, sampling, synthetic benchmark). */
export * from './data-error.js';
export * from './face-record.js';
export * from './record-stream.js';
export { loadGenericCsv, type GenericCsvOptions } from './loaders/generic-csv.js';
export { loadAffectNet, ageGroupKey, type AffectNetOptions } from './loaders/affectnet.js';
export { loadAffWild2, type AffWild2Options } from './loaders/aff-wild2.js';
export { loadAfewVa, type AfewVaOptions } from './loaders/afew-va.js';
export type { CommonLoaderOptions } from './loaders/loader-common.js';
export { IMAGENET_MEAN, IMAGENET_STD, renderSample, type SampleTransform } from './images/sample-transform.js';
export { drawTransform, type AugmentConfig } from './images/augment.js';
export { DecodePool, withDecodePool, defaultWorkerCount } from './images/decode-pool.js';
export { loadBatches, take, type Batch, type BatchLoaderOptions, type BatchStream } from './batch-loader.js';
export { identitySampler, plainBatches, type IdentitySampler, type IdentitySamplerOptions } from './identity-sampler.js';
export { splitByIdentity, splitByClip, splitByKey, DEFAULT_FRACTIONS, type Split, type SplitFractions } from './splits.js';
export { synthesizeInMemory, inMemoryNCHW, type InMemoryDataset, type SynthOptions } from './synthetic/synthesize.js';
export { synthesizeDataset, writeSyntheticDataset, contactSheetPng, type WriteSyntheticOptions, type WrittenSynthetic } from './synthetic/write-synthetic.js';
export { ridgeShortcutCheck, ccc, type RidgeShortcutReport } from './ridge-sanity.js';
export { batchTensors } from './to-tensor.js';
