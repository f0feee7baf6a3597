/**
 * Typed command-line parsing. Each command declares its options once (name, kind, default,
 * help); the same table drives parsing, `--help`, config-file merging and validation, so they
 * cannot drift apart. Flags override the config file, which overrides defaults. Every mistake
 * (unknown option, missing value, wrong type, value out of its enum) is a `CliError` value.
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseValue, type Kind, type KindName } from '../options/kinds.js';

export type OptionKind = KindName;

/** One option of a command: its kind (the value rules shared with the ELIM schema, options/kinds.ts) and how it reads. */
export interface OptionSpec extends Kind {
  readonly name: string; // kebab-case flag name, also the config-file key (camelCase accepted)
  readonly help: string;
  readonly default?: string | number | boolean | readonly string[];
  /** The default in words where it is not one value (another option's, or the preset's). */
  readonly defaultNote?: string;
  readonly group?: string; // heading in --help
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage?: string;
  readonly options: readonly OptionSpec[];
  /** Positional arguments allowed (e.g. image paths for predict). */
  readonly positionals?: { readonly name: string; readonly help: string; readonly min?: number };
}

export type OptionValue = string | number | boolean | null | readonly string[];
export type ParsedOptions = Record<string, OptionValue>;

export interface CliError {
  readonly _tag: 'CliError';
  readonly message: string;
}

export const cliError = (message: string): CliError => ({ _tag: 'CliError', message });

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Converts one raw value (from argv or a config file) to the option's kind. */
export const coerce = (spec: OptionSpec, raw: unknown, where: string): E.Either<CliError, OptionValue> => {
  const v = parseValue(spec, raw);
  if (E.isLeft(v)) return E.left(cliError(`${where}: --${spec.name} ${v.left}`));
  return E.right(v.right);
};

export interface ParsedArgs {
  readonly options: ParsedOptions;
  /** Which options were given explicitly on the command line (they beat the config file). */
  readonly explicit: ReadonlySet<string>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses argv (after the command name): `--name value`, `--name=value`, `--flag`, `--no-flag`. */
export const parseArgv = (spec: CommandSpec, argv: readonly string[]): E.Either<CliError, ParsedArgs> => {
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const options: ParsedOptions = {};
  const explicit = new Set<string>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (!spec.positionals) return E.left(cliError(`elim ${spec.name}: unexpected argument '${arg}' (see elim ${spec.name} --help)`));
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let raw: unknown = eq >= 0 ? arg.slice(eq + 1) : undefined;
    let o = byName.get(name);
    if (!o && name.startsWith('no-') && byName.get(name.slice(3))?.kind === 'boolean' && raw === undefined) {
      name = name.slice(3);
      o = byName.get(name);
      raw = false;
    }
    if (!o) {
      const near = [...byName.keys()].filter((k) => k.includes(name) || name.includes(k)).slice(0, 3);
      return E.left(cliError(`elim ${spec.name}: unknown option --${name}${near.length ? ` (did you mean ${near.map((n) => `--${n}`).join(', ')}?)` : ''}`));
    }
    if (raw === undefined) {
      if (o.kind === 'boolean') raw = true;
      else {
        if (i + 1 >= argv.length) return E.left(cliError(`elim ${spec.name}: --${name} needs a value`));
        raw = argv[++i];
      }
    }
    const v = coerce(o, raw, `elim ${spec.name}`);
    if (E.isLeft(v)) return v;
    options[camel(name)] = v.right;
    explicit.add(camel(name));
  }
  const min = spec.positionals?.min ?? 0;
  if (!help && positionals.length < min) return E.left(cliError(`elim ${spec.name}: expects at least ${min} ${spec.positionals?.name ?? 'argument'}(s)`));
  return E.right({ options, explicit, positionals, help });
};

/**
 * defaults <- config file <- explicit flags. Config keys may be camelCase or kebab-case; an
 * unknown key is an error (a typo in a config must not silently do nothing).
 */
export const resolveOptions = (
  spec: CommandSpec,
  parsed: ParsedArgs,
  config: Record<string, unknown> = {},
  configName = 'config',
): E.Either<CliError, ParsedOptions> => {
  const out: ParsedOptions = {};
  for (const o of spec.options) if (o.default !== undefined) out[camel(o.name)] = o.default;
  const byName = new Map(spec.options.map((o) => [camel(o.name), o]));
  for (const [key, raw] of Object.entries(config)) {
    const o = byName.get(camel(key));
    if (!o) return E.left(cliError(`${configName}: unknown key '${key}' for elim ${spec.name}`));
    if (parsed.explicit.has(camel(key))) continue;
    const v = coerce(o, raw, configName);
    if (E.isLeft(v)) return v;
    out[camel(key)] = v.right;
  }
  for (const k of parsed.explicit) out[k] = parsed.options[k];
  return E.right(out);
};

/** `--help` text, generated from the option table. */
export const helpText = (spec: CommandSpec): string => {
  const lines = [`elim ${spec.name} — ${spec.summary}`, '', `usage: ${spec.usage ?? `elim ${spec.name} [options]`}`];
  if (spec.positionals) lines.push('', `  ${spec.positionals.name}  ${spec.positionals.help}`);
  const groups = new Map<string, OptionSpec[]>();
  for (const o of spec.options) groups.set(o.group ?? 'options', [...(groups.get(o.group ?? 'options') ?? []), o]);
  for (const [g, os] of groups) {
    lines.push('', `${g}:`);
    for (const o of os) {
      const flag = `--${o.name}${o.kind === 'boolean' ? '' : ` <${o.kind === 'enum' ? o.choices?.join('|') : o.kind}>`}`;
      const shown = o.defaultNote ?? (o.default === undefined ? undefined : Array.isArray(o.default) ? o.default.join(',') : String(o.default));
      const def = shown === undefined ? '' : ` (default: ${shown})`;
      lines.push(`  ${flag.padEnd(34)} ${o.help}${def}`);
    }
  }
  lines.push('', '  --help                             show this help');
  return lines.join('\n');
};

export { camel, kebab };
