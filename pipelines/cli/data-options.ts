/** The data options of a command -> the loader's DataSpec. */
import type { ParsedOptions } from './args.js';
import type { DataSpec, DataSource } from '../train/load-data.js';
import type { BandName, StyleName } from '../data/synthetic/face-model.js';

export const dataSpecFrom = (o: ParsedOptions, size: number, seed: number): DataSpec => ({
  source: o.data as DataSource,
  path: o.dataPath as string | undefined,
  imagesRoot: o.imagesRoot as string | undefined,
  domainKey: o.domainKey as 'identity' | 'age-group',
  size,
  seed,
  synth: {
    identities: o.synthIdentities as number,
    heldOut: o.synthHeldOut as number,
    frames: o.synthFrames as number,
    // the default regime is left out, so the data spec of a default run (and compare --reuse) is as before
    ...(o.synthBand !== undefined && o.synthBand !== 'narrow' ? { band: o.synthBand as BandName } : {}),
    ...(o.synthStyle !== undefined && o.synthStyle !== 'mild' ? { style: o.synthStyle as StyleName } : {}),
  },
  heldOutFraction: o.heldOutFraction as number,
  badRecords: o.badRecords as 'error' | 'skip',
});
