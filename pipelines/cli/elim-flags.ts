/**
 * The ELIM flags of `elim train` / `elim compare` (and so their config-file and variant keys),
 * derived from the ELIM option schema (pipelines/options/elim-options.ts), and the way back:
 * resolved options -> a validated ElimConfig.
 *
 * `--preset release` starts from RELEASE_PRESET instead of the defaults, so an option the preset
 * sets has no command-line default: given, the flag wins over the preset; not given, the preset's
 * value (or the default) stands. Every other flag's default is the option's default.
 */
import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_CONFIG, ELIM_OPTIONS, makeConfig, RELEASE_PRESET, validateConfig, type ElimConfig } from '../config.js';
import { formatElimError } from '../errors.js';
import { getPath, isShared, leaves, type Leaf } from '../options/schema.js';
import { camel, cliError, type CliError, type OptionSpec, type OptionValue, type ParsedOptions } from './args.js';

const GROUP = 'ELIM (see elim options for provenance)';
const RELEASE = makeConfig(RELEASE_PRESET);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const presetSets = (path: string) => getPath(RELEASE, path) !== getPath(DEFAULT_CONFIG, path);

const PRESET: OptionSpec = {
  name: 'preset',
  kind: 'enum',
  choices: ['paper', 'release'],
  default: 'paper',
  help: `paper (the defaults) or the release's behaviour (${leaves(ELIM_OPTIONS)
    .filter((l) => presetSets(l.path))
    .map((l) => `${l.path} ${show(getPath(RELEASE, l.path))}`)
    .join(', ')})`,
  group: GROUP,
};

/** The flags of one option: its own (unless another flag sets it) and any alternative spelling. */
const flagsOf = (l: Leaf): OptionSpec[] => {
  const f = l.opt.flag;
  if (isShared(f) || l.flagName === null) return [];
  const def = l.opt.default as OptionValue;
  const defaultNote = f.defaultFrom
    ? `the value of --${f.defaultFrom}`
    : presetSets(l.path)
      ? `${f.to ? `${l.path} ` : ''}${show(def)}; release preset: ${show(getPath(RELEASE, l.path))}`
      : undefined;
  const main: OptionSpec = {
    ...(f.kind ?? l.opt.kind),
    name: l.flagName,
    help: f.help ?? l.opt.note,
    // the CLI's default is the option's, except where another flag or the preset supplies it
    ...(defaultNote === undefined && !f.to && def !== null ? { default: def as Exclude<OptionValue, null> } : {}),
    ...(defaultNote !== undefined ? { defaultNote } : {}),
    group: GROUP,
  };
  return [main, ...(l.opt.also ?? []).map((a) => ({ ...a.kind, name: a.name, help: a.help, group: GROUP }))];
};

/** --preset, then every ELIM option's flags in schema order. */
export const ELIM_FLAGS: readonly OptionSpec[] = [PRESET, ...leaves(ELIM_OPTIONS).flatMap(flagsOf)];

const setPath = (o: Record<string, unknown>, path: string, v: unknown) => {
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = o;
  for (const k of keys) at = at[k] = { ...(at[k] as object) } as Record<string, unknown>;
  at[last] = v;
};

/** The ElimConfig the resolved options ask for: the preset, with each option given by a flag (or its shared or default-from flag) laid over it; validated. */
export const elimConfigFrom = (o: ParsedOptions): E.Either<CliError, ElimConfig> => {
  const c: Record<string, unknown> = { ...(o.preset === 'release' ? RELEASE : DEFAULT_CONFIG) };
  for (const l of leaves(ELIM_OPTIONS)) {
    const f = l.opt.flag;
    let v: unknown;
    if (isShared(f)) {
      const given = o[camel(f.from)];
      v = f.to ? f.to(given) : given;
    } else if (l.flagName !== null) {
      const given = o[camel(l.flagName)];
      v = given === undefined ? (f.defaultFrom ? o[camel(f.defaultFrom)] : undefined) : f.to ? f.to(given) : given;
      for (const a of l.opt.also ?? []) if (o[camel(a.name)] !== undefined) v = a.to(o[camel(a.name)]!);
    }
    if (v !== undefined) setPath(c, l.path, v);
  }
  const v = validateConfig(c as unknown as ElimConfig);
  if (E.isRight(v)) return v;
  // name the flag that sets the field (the field's path in config.json follows it)
  const bad = v.left._tag === 'InvalidConfig' ? leaves(ELIM_OPTIONS).find((l) => l.path === (v.left as { field: string }).field) : undefined;
  const flag = bad && (isShared(bad.opt.flag) ? bad.opt.flag.from : bad.flagName);
  return E.left(
    cliError(bad && flag && v.left._tag === 'InvalidConfig' ? `--${flag} (${bad.path}) ${v.left.message}` : `invalid ELIM option: ${formatElimError(v.left)}`),
  );
};
