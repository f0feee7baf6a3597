/** The data options of a command -> the loader's DataSpec. */
import type { ParsedOptions } from './args.js';
import type { DataSpec, DataSource } from '../train/load-data.js';

export const dataSpecFrom = (o: ParsedOptions, size: number, seed: number): DataSpec => ({
  source: o.data as DataSource,
  path: o.dataPath as string | undefined,
  imagesRoot: o.imagesRoot as string | undefined,
  domainKey: o.domainKey as 'identity' | 'age-group',
  size,
  seed,
  synth: { identities: o.synthIdentities as number, heldOut: o.synthHeldOut as number, frames: o.synthFrames as number },
  heldOutFraction: o.heldOutFraction as number,
  badRecords: o.badRecords as 'error' | 'skip',
});
