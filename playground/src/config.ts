/**
 * The playground's run settings: the CLI's own option table (TRAIN_OPTIONS, with its defaults)
 * resolved through the CLI's own resolver and turned into a RunSpec by `runSpecFrom`, so a page
 * run and `elim compare` with the same options train exactly the same thing. Options come from
 * the URL query in their CLI spelling (`?steps=40&synth-identities=16&backend=cpu`), which is how
 * the form below the charts and the browser test set them.
 */
import * as E from 'fp-ts/lib/Either.js';
import { resolveOptions, type CommandSpec, type ParsedOptions } from '../../pipelines/cli/args.js';
import { TRAIN_OPTIONS, runSpecFrom, clipNormOf, type RunSpec } from '../../pipelines/cli/train-options.js';
import type { BandName, StyleName } from '../../pipelines/data/synthetic/face-model.js';

/** The options a page run takes (the CLI's train options less the ones about files and real data). */
const spec: CommandSpec = {
  name: 'playground',
  summary: 'train in a page',
  usage: '',
  options: TRAIN_OPTIONS.filter(
    (o) => !['out', 'resume', 'config', 'data', 'data-path', 'images-root', 'bad-records', 'held-out-fraction', 'domain-key'].includes(o.name),
  ),
};

/** The page's own defaults where the CLI's are sized for a terminal run (a smaller benchmark, fewer steps). */
export const PAGE_DEFAULTS: Readonly<Record<string, string>> = {
  steps: '120',
  'synth-identities': '24',
  'synth-held-out': '8',
  'synth-frames': '24',
  'identities-per-batch': '4',
  'images-per-identity': '4',
  'validate-every': '10',
  'input-size': '16',
};

export interface PageRun {
  readonly options: ParsedOptions;
  readonly baseline: RunSpec;
  readonly elim: RunSpec;
  readonly clipNorm: number;
  readonly seed: number;
  readonly synth: { readonly identities: number; readonly heldOut: number; readonly frames: number; readonly band: BandName; readonly style: StyleName };
  readonly backend: 'auto' | 'cpu' | 'gpujs';
  /** CPU backend threads (0: as many as the page offers). */
  readonly threads: number;
}

/** Option names the page understands (for the form). */
export const optionNames = (): string[] => spec.options.map((o) => o.name);

export const pageRun = (query: URLSearchParams): E.Either<string, PageRun> => {
  const raw: Record<string, string> = { ...PAGE_DEFAULTS };
  let threads = 0;
  for (const [k, v] of query) {
    if (['tab', 'autostart', 'checkpoint'].includes(k)) continue;
    if (k === 'threads') threads = Number(v);
    else raw[k] = v;
  }
  if (!Number.isInteger(threads) || threads < 0) return E.left(`threads must be a non-negative integer, got ${query.get('threads')}`);
  const r = resolveOptions(spec, { options: {}, explicit: new Set(), positionals: [], help: false }, raw, 'page options');
  if (E.isLeft(r)) return E.left(r.left.message);
  const o: ParsedOptions = { ...r.right, data: 'synthetic', out: '', resume: false };
  const base = runSpecFrom({ ...o, method: 'baseline' });
  if (E.isLeft(base)) return E.left(base.left.message);
  const elim = runSpecFrom({ ...o, method: 'elim' });
  if (E.isLeft(elim)) return E.left(elim.left.message);
  return E.right({
    options: o,
    baseline: base.right,
    elim: elim.right,
    clipNorm: clipNormOf(o),
    seed: o.seed as number,
    synth: {
      identities: o.synthIdentities as number,
      heldOut: o.synthHeldOut as number,
      frames: o.synthFrames as number,
      band: o.synthBand as BandName,
      style: o.synthStyle as StyleName,
    },
    backend: o.backend as PageRun['backend'],
    threads,
  });
};

/** The `elim compare` command line that trains the same pair in Node. */
export const compareCommand = (run: PageRun, query: URLSearchParams): string => {
  const skip = ['tab', 'autostart', 'checkpoint', 'threads', 'backend', 'seed'];
  const args = Object.entries({ ...PAGE_DEFAULTS, ...Object.fromEntries([...query].filter(([k]) => !skip.includes(k))) }).map(([k, v]) => `--${k} ${v}`);
  // a single number after --seeds is a count; a range names the one seed
  return `elim compare --seeds ${run.seed}..${run.seed} ${args.join(' ')}`;
};
