/** `elim synth`: write the built-in synthetic face benchmark to disk (generic CSV, optional AFEW-VA layout, contact sheet). */
import * as E from 'fp-ts/lib/Either.js';
import type { CommandSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { LIMITS } from '../../limits.js';
import { synthesizeDataset } from '../../data/synthetic/write-synthetic.js';
import { formatDataError } from '../../data/data-error.js';
import type { BandName, StyleName } from '../../data/synthetic/face-model.js';

export const spec: CommandSpec = {
  name: 'synth',
  summary: 'generate the built-in synthetic face benchmark',
  usage:
    'elim synth [--out DIR] [--seed N] [--identities N] [--held-out N] [--frames N] [--size PX] [--band narrow|wide|disc] [--style none|mild|strong] [--afew-va]',
  options: [
    { name: 'config', kind: 'string', help: 'JSON or YAML file of options' },
    { name: 'out', kind: 'string', default: 'data/synthetic', help: 'output folder' },
    { name: 'seed', kind: 'int', min: LIMITS.seed.min, max: LIMITS.seed.max, default: 0, help: 'seed of the whole generative model' },
    { name: 'identities', kind: 'int', min: 2, default: 48, help: 'identities in all' },
    { name: 'held-out', kind: 'int', min: 1, default: 12, help: 'of which held out (listed in splits.json)' },
    { name: 'frames', kind: 'int', min: 1, default: 40, help: 'frames per identity (one clip each)' },
    { name: 'size', kind: 'int', min: 8, default: 64, help: 'image side in pixels' },
    {
      name: 'band',
      kind: 'enum',
      choices: ['narrow', 'wide', 'disc'],
      default: 'narrow',
      help: "each identity's personal emotion band (label shift by identity): narrow = strong (the default), wide = weak, disc = none",
    },
    {
      name: 'style',
      kind: 'enum',
      choices: ['none', 'mild', 'strong'],
      default: 'mild',
      help: 'expressive style by identity (resting offset, gain spread): none, mild (the default), strong',
    },
    { name: 'afew-va', kind: 'boolean', default: false, help: 'also write the AFEW-VA folder layout (per-clip JSON with 68 landmarks)' },
  ],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.options;
  if ((o.heldOut as number) >= (o.identities as number))
    return usageError(`elim synth: --held-out (${String(o.heldOut)}) must be smaller than --identities (${String(o.identities)})`);
  const t0 = performance.now();
  const r = await synthesizeDataset({
    seed: o.seed as number,
    identities: o.identities as number,
    heldOut: o.heldOut as number,
    frames: o.frames as number,
    size: o.size as number,
    band: o.band as BandName,
    style: o.style as StyleName,
    out: o.out as string,
    afewVa: o.afewVa as boolean,
  })();
  if (E.isLeft(r)) return failure(formatDataError(r.left));
  const w = r.right;
  process.stdout.write(
    `${w.images} images in ${((performance.now() - t0) / 1000).toFixed(1)} s\n` +
      `labels:        ${w.csv}  (path,valence,arousal; identity = first path segment)\n` +
      `splits:        ${w.splits}\n` +
      `contact sheet: ${w.contactSheet}\n` +
      (w.afewVaRoot ? `AFEW-VA:       ${w.afewVaRoot}\n` : ''),
  );
  return 0;
};
