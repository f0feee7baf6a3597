/**
 * The data options of a command (DATA_OPTIONS) -> the loader's DataSpec, checked: a path given to the synthetic
 * source (which reads no files) is an error, not a silently ignored option, and a real source
 * needs its path.
 *
 * `elim eval` starts from the data the run was trained on (config.json beside the checkpoint)
 * and lays only the options actually given over it (`dataSpecOver`): `--data-path other.csv`
 * keeps the trained source and its other settings, instead of falling back to every default.
 */
import * as E from 'fp-ts/lib/Either.js';
import { checkSynthShape, formatProblem } from '../limits.js';
import { cliError, type CliError, type OptionSpec, type ParsedOptions } from './args.js';
import type { DataSpec, DataSource } from '../train/load-data.js';
import type { BandName, StyleName } from '../data/synthetic/face-model.js';

const D = 'data';

/** The data options of `elim train`, `compare` and (defaults dropped: as trained) `eval`. */
export const DATA_OPTIONS: OptionSpec[] = [
  {
    name: 'data',
    kind: 'enum',
    choices: ['synthetic', 'generic-csv', 'afew-va', 'affectnet', 'aff-wild2'],
    default: 'synthetic',
    help: 'data source',
    group: D,
  },
  { name: 'data-path', kind: 'string', help: 'CSV file or dataset folder (every source but synthetic)', group: D },
  { name: 'images-root', kind: 'string', help: "folder image paths in the CSV are relative to (default: the CSV's folder)", group: D },
  {
    name: 'domain-key',
    kind: 'enum',
    choices: ['identity', 'age-group'],
    default: 'identity',
    help: 'ELIM domain: identity, or age group (ELIM-Age; needs an age column)',
    group: D,
  },
  { name: 'synth-identities', kind: 'int', min: 4, default: 48, help: 'synthetic: identities in all (held-out included)', group: D },
  { name: 'synth-held-out', kind: 'int', min: 1, default: 16, help: 'synthetic: identities never seen in training', group: D },
  { name: 'synth-frames', kind: 'int', min: 2, default: 40, help: 'synthetic: frames per identity', group: D },
  {
    name: 'synth-band',
    kind: 'enum',
    choices: ['narrow', 'wide', 'disc'],
    default: 'narrow',
    help: "synthetic: each identity's personal emotion band (label shift by identity): narrow (strong), wide (weak), disc (none)",
    group: D,
  },
  {
    name: 'synth-style',
    kind: 'enum',
    choices: ['none', 'mild', 'strong'],
    default: 'mild',
    help: 'synthetic: expressive style by identity (resting offset and gain spread: expressive shift)',
    group: D,
  },
  {
    name: 'held-out-fraction',
    kind: 'number',
    min: 0.05,
    max: 0.8,
    default: 0.25,
    help: 'real data: fraction of identities held out for evaluation',
    group: D,
  },
  { name: 'allow-outside-root', kind: 'boolean', default: false, help: 'let image paths in a CSV leave the data root (../, absolute paths)', group: D },
  {
    name: 'bad-records',
    kind: 'enum',
    choices: ['error', 'skip'],
    default: 'skip',
    help: 'a bad record (missing image, bad value) stops the run, or is skipped and counted',
    group: D,
  },
];

const REAL = 'generic-csv|afew-va|affectnet|aff-wild2';

/** The checks every DataSpec passes, whoever built it. */
export const checkDataSpec = (d: DataSpec): E.Either<CliError, DataSpec> => {
  if (d.source === 'synthetic') {
    if (d.path !== undefined) return E.left(cliError(`--data-path needs --data ${REAL} (the synthetic source reads no files)`));
    if (d.imagesRoot !== undefined) return E.left(cliError(`--images-root needs --data ${REAL} (the synthetic source reads no files)`));
    const s = checkSynthShape(d.synth);
    if (E.isLeft(s)) return E.left(cliError(`--${formatProblem(s.left)}`));
  } else if (!d.path) return E.left(cliError(`--data ${d.source} needs --data-path`));
  return E.right(d);
};

export const dataSpecFrom = (o: ParsedOptions, size: number, seed: number): E.Either<CliError, DataSpec> =>
  checkDataSpec({
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
    ...(o.allowOutsideRoot === true ? { allowOutsideRoot: true } : {}),
  });

/**
 * `base` (what the run was trained on) with the options the user gave laid over it. Changing
 * the source drops the base's path and images root (they belonged to the other source).
 */
export const dataSpecOver = (base: DataSpec, given: ParsedOptions, size: number, seed: number): E.Either<CliError, DataSpec> => {
  const source = (given.data as DataSource | undefined) ?? base.source;
  const sameSource = source === base.source;
  const synth = { ...base.synth };
  if (given.synthIdentities !== undefined) synth.identities = given.synthIdentities as number;
  if (given.synthHeldOut !== undefined) synth.heldOut = given.synthHeldOut as number;
  if (given.synthFrames !== undefined) synth.frames = given.synthFrames as number;
  if (given.synthBand !== undefined) synth.band = given.synthBand as BandName;
  if (given.synthStyle !== undefined) synth.style = given.synthStyle as StyleName;
  const path = (given.dataPath as string | undefined) ?? (sameSource ? base.path : undefined);
  const imagesRoot = (given.imagesRoot as string | undefined) ?? (sameSource ? base.imagesRoot : undefined);
  const allowOutsideRoot = given.allowOutsideRoot !== undefined ? given.allowOutsideRoot === true : base.allowOutsideRoot === true;
  return checkDataSpec({
    source,
    ...(path !== undefined ? { path } : {}),
    ...(imagesRoot !== undefined ? { imagesRoot } : {}),
    domainKey: (given.domainKey as DataSpec['domainKey'] | undefined) ?? base.domainKey,
    size,
    seed,
    synth,
    heldOutFraction: (given.heldOutFraction as number | undefined) ?? base.heldOutFraction,
    badRecords: (given.badRecords as DataSpec['badRecords'] | undefined) ?? base.badRecords,
    ...(allowOutsideRoot ? { allowOutsideRoot } : {}),
  });
};
