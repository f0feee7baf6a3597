/**
 * The benchmark a page run trains on: the synthetic faces drawn from the run's seed and regime,
 * split into training and held-out identities at the model's input size. The same three steps
 * as the synthetic branch of `loadRunData` (pipelines/train/load-data.ts, which also reads real
 * datasets through Node's file system and so is not loaded here); the browser test checks that
 * both give the same held-out metrics.
 */
import { synthesizeInMemory, type InMemoryDataset } from '../../pipelines/data/synthetic/synthesize.js';
import { imageSetFromSynthetic, subsetByIdentity, type ImageSet } from '../../pipelines/train/image-set.js';
import type { PageRun } from './config.js';

export interface PageData {
  readonly dataset: InMemoryDataset;
  readonly train: ImageSet;
  readonly heldOut: ImageSet;
}

/** Rendered at 64 px (or the input size if larger) and box-filtered down, as load-data does. */
const renderSize = (size: number) => (size <= 64 && 64 % size === 0 ? 64 : size);

export const pageData = (run: PageRun): PageData => {
  const size = run.baseline.settings.model.inputSize;
  const s = run.synth;
  // the default regime is passed as absent, as the CLI's data spec does (the same draws either way)
  const dataset = synthesizeInMemory({
    seed: run.seed,
    identities: s.identities,
    heldOut: s.heldOut,
    frames: s.frames,
    size: renderSize(size),
    ...(s.band !== 'narrow' ? { band: s.band } : {}),
    ...(s.style !== 'mild' ? { style: s.style } : {}),
  });
  const all = imageSetFromSynthetic(dataset, size);
  return { dataset, train: subsetByIdentity(all, new Set(dataset.trainIdentities)), heldOut: subsetByIdentity(all, new Set(dataset.heldOutIdentities)) };
};
