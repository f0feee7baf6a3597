/**
 * The machinery of an option schema: a tree of option descriptors (`opt`), grouped one level deep
 * (`group`), from which the value type (`Infer`), the defaults, validation and the option list
 * (paths, flag names, help) are derived. The ELIM options are one such schema
 * (elim-options.ts); what is derived from it lives in pipelines/config.ts (type, defaults,
 * validateConfig, describeConfig), pipelines/cli/elim-flags.ts (flags, help, config-file and
 * compare-variant keys) and options-doc.ts (the table in docs/CLI.md).
 */
import { checkValue, type Kind, type Value, type ValueOf } from './kinds.js';

/** Where a default comes from: the paper, the authors' release, both, or this project (where they disagree or are silent). */
export type Provenance = 'paper' | 'release' | 'paper+release' | 'here';

/** How the command line sets an option. */
export interface Flag {
  /** The flag's name (kebab-case) where the derived one (group prefix + kebab-case key) does not fit. */
  readonly name?: string;
  /** --help text (the note when absent). */
  readonly help?: string;
  /** The command line's default is another flag's value (e.g. topk: --images-per-identity). */
  readonly defaultFrom?: string;
  /** The flag takes another kind, mapped to the option's value by `to` (--two-step sets steps). */
  readonly kind?: Kind;
  readonly to?: (v: Value) => unknown;
}

/** A flag declared with the command's other options whose value also sets this option (--method sets elim). */
export interface SharedFlag {
  readonly from: string;
  readonly to?: (v: Value | undefined) => unknown;
}

/** A further flag for the same option, applied over the main one (--eta for lambda). */
export interface AltFlag {
  readonly name: string;
  readonly kind: Kind;
  readonly help: string;
  readonly to: (v: Value) => unknown;
}

export interface Opt<T = unknown, K extends Kind = Kind> {
  readonly kind: K;
  readonly default: T;
  readonly provenance: Provenance;
  /** One line for `elim options` and the docs table. */
  readonly note: string;
  /** Values in words where the kind alone does not say it (a rule between options). */
  readonly values?: string;
  readonly flag: Flag | SharedFlag;
  readonly also?: readonly AltFlag[];
}

export interface Group<G extends Record<string, Opt> = Record<string, Opt>> {
  readonly group: true;
  /** Prefix of the derived flag names of the group's options ('warmup-' gives --warmup-w1). */
  readonly flagPrefix: string;
  readonly entries: G;
}

export type Schema = Readonly<Record<string, Opt | Group>>;

type Info<T> = Omit<Opt<T>, 'kind' | 'default' | 'flag'> & { readonly flag?: Flag | SharedFlag };

/** One option: its kind, default and documentation (flag: derived from the key unless given). */
export const opt = <const K extends Kind>(kind: K, def: ValueOf<K>, info: Info<ValueOf<K>>): Opt<ValueOf<K>, K> => ({ kind, default: def, flag: {}, ...info });

export const group = <const G extends Record<string, Opt>>(flagPrefix: string, entries: G): Group<G> => ({ group: true, flagPrefix, entries });

/** The value type a schema describes; each property keeps its descriptor's doc comment. */
export type Infer<S> = {
  readonly [K in keyof S]: S[K] extends Opt<infer T> ? T : S[K] extends Group<infer G> ? Infer<G> : never;
};

const isGroup = (x: Opt | Group): x is Group => 'group' in x;
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export interface Leaf {
  /** Dotted path in the value ('transport.lambda'). */
  readonly path: string;
  readonly opt: Opt;
  /** The option's own flag, or null where another flag sets it. */
  readonly flagName: string | null;
}

/** Every option in schema order. */
export const leaves = (s: Schema): Leaf[] =>
  Object.entries(s).flatMap(([key, node]) =>
    isGroup(node) ? Object.entries(node.entries).map(([k, o]) => leaf(`${key}.${k}`, o, node.flagPrefix + kebab(k))) : [leaf(key, node, kebab(key))],
  );

const leaf = (path: string, o: Opt, derived: string): Leaf => ({ path, opt: o, flagName: 'from' in o.flag ? null : (o.flag.name ?? derived) });

export const isShared = (f: Flag | SharedFlag): f is SharedFlag => 'from' in f;

/** The flags that set an option: its own and alternative spellings, or the shared flag it is read from. */
export const flagNamesOf = (l: Leaf): string[] =>
  isShared(l.opt.flag) ? [l.opt.flag.from] : [...(l.flagName === null ? [] : [l.flagName]), ...(l.opt.also ?? []).map((a) => a.name)];

/** The schema's defaults, keys in schema order. */
export const defaultsOf = <S extends Schema>(s: S): Infer<S> =>
  Object.fromEntries(
    Object.entries(s).map(([k, node]) => [k, isGroup(node) ? Object.fromEntries(Object.entries(node.entries).map(([g, o]) => [g, o.default])) : node.default]),
  ) as Infer<S>;

/** `base` with `over` laid on it, one level deep for groups; keys in schema order, keys the schema lacks dropped. */
export const overlay = <S extends Schema>(s: S, base: Infer<S>, over: Readonly<Record<string, unknown>>): Infer<S> => {
  const b = base as Readonly<Record<string, unknown>>;
  return Object.fromEntries(
    Object.entries(s).map(([k, node]) => [
      k,
      isGroup(node) ? { ...(b[k] as object), ...(over[k] as object | undefined) } : k in over && over[k] !== undefined ? over[k] : b[k],
    ]),
  ) as Infer<S>;
};

export const getPath = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((acc, k) => (acc as Record<string, unknown> | undefined)?.[k], value);

/** The first option whose value is not of its kind: [path, why], or undefined. */
export const firstBadValue = (s: Schema, value: unknown): readonly [string, string] | undefined => {
  for (const l of leaves(s)) {
    const why = checkValue(l.opt.kind, getPath(value, l.path));
    if (why !== undefined) return [l.path, why];
  }
  return undefined;
};
