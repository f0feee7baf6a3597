/**
 * What values an option takes (its kind), with one parser and one checker for each kind, so a
 * flag, a config-file key, a compare variant and a config built in code or read from a checkpoint
 * are accepted and refused by the same rule, in the same words.
 *
 * A kind is a plain record (`{ kind: 'int', min: 1 }`): the CLI's option tables use the same
 * fields, and the constructors below keep enum choices as literal types, so an option schema can
 * infer its TypeScript type from its kinds (`ValueOf`).
 */
import * as E from 'fp-ts/lib/Either.js';

export type KindName = 'string' | 'number' | 'int' | 'boolean' | 'enum' | 'list';

export interface Kind {
  readonly kind: KindName;
  /** enum: the accepted values. */
  readonly choices?: readonly string[];
  /** number/int: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** number: exclusive lower bound (> above). */
  readonly above?: number;
  /** int: null is also accepted (it means "derived", e.g. the attention width = the latent size). */
  readonly nullable?: boolean;
}

export type Value = string | number | boolean | null | readonly string[];

/** The TypeScript type of a kind's values. */
export type ValueOf<K> = K extends { readonly kind: 'boolean' }
  ? boolean
  : K extends { readonly kind: 'int'; readonly nullable: true }
    ? number | null
    : K extends { readonly kind: 'int' | 'number' }
      ? number
      : K extends { readonly kind: 'enum'; readonly choices: readonly (infer C)[] }
        ? C
        : K extends { readonly kind: 'list' }
          ? readonly string[]
          : string;

type Bounds = { readonly min?: number; readonly max?: number };
export const bool = () => ({ kind: 'boolean' }) as const;
export const int = (b: Bounds = {}) => ({ kind: 'int', ...b }) as const;
export const intOrNull = (b: Bounds = {}) => ({ kind: 'int', nullable: true, ...b }) as const;
export const num = (b: Bounds & { readonly above?: number } = {}) => ({ kind: 'number', ...b }) as const;
export const oneOf = <const C extends readonly string[]>(...choices: C) => ({ kind: 'enum', choices }) as const;
export const text = () => ({ kind: 'string' }) as const;

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : Array.isArray(v) ? `[${v.join(',')}]` : String(v));

/** Why `v` is not a value of `k` (one phrase: "must be >= 2, got 1"), or undefined when it is. */
export const checkValue = (k: Kind, v: unknown): string | undefined => {
  switch (k.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `must be true or false, got ${show(v)}`;
    case 'int':
    case 'number': {
      if (v === null && k.nullable) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a finite number, got ${show(v)}`;
      if (k.kind === 'int' && !Number.isInteger(v)) return `must be an integer, got ${v}`;
      if (k.min !== undefined && v < k.min) return `must be >= ${k.min}, got ${v}`;
      if (k.above !== undefined && !(v > k.above)) return `must be > ${k.above}, got ${v}`;
      if (k.max !== undefined && v > k.max) return `must be <= ${k.max}, got ${v}`;
      return undefined;
    }
    case 'enum':
      return typeof v === 'string' && k.choices?.includes(v) ? undefined : `must be one of ${k.choices?.join(', ')}; got ${show(v)}`;
    case 'list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : `must be a list of strings, got ${show(v)}`;
    case 'string':
      return typeof v === 'string' ? undefined : `must be a string, got ${show(v)}`;
  }
};

/** A raw value (a command-line string, or a JSON/YAML value) converted to the kind and checked. */
export const parseValue = (k: Kind, raw: unknown): E.Either<string, Value> => {
  const checked = (v: Value) => {
    const why = checkValue(k, v);
    return why === undefined ? E.right(v) : E.left(why);
  };
  switch (k.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return E.right(raw);
      if (raw === 'true' || raw === '1' || raw === 'yes') return E.right(true);
      if (raw === 'false' || raw === '0' || raw === 'no') return E.right(false);
      return E.left(`expects true or false, got '${String(raw)}'`);
    case 'number':
    case 'int': {
      if (k.nullable && (raw === null || raw === 'null')) return E.right(null);
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      const what = k.kind === 'int' ? 'an integer' : 'a number';
      if (!Number.isFinite(n) || (k.kind === 'int' && !Number.isInteger(n)))
        return E.left(`expects ${what}${k.nullable ? ' or null' : ''}, got '${String(raw)}'`);
      return checked(n);
    }
    case 'enum':
      return checked(typeof raw === 'string' ? raw : String(raw));
    case 'list':
      if (Array.isArray(raw) && raw.every((x) => typeof x === 'string' || typeof x === 'number')) return E.right(raw.map(String));
      if (typeof raw === 'string')
        return E.right(
          raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        );
      if (typeof raw === 'number') return E.right([String(raw)]);
      return E.left(`expects a comma-separated list, got '${String(raw)}'`);
    case 'string':
      if (typeof raw === 'string') return E.right(raw);
      if (typeof raw === 'number') return E.right(String(raw));
      return E.left(`expects a string, got '${JSON.stringify(raw)}'`);
  }
};

/** The values of a kind in words, for help and docs: "integer >= 2", "number > 0", "a | b". */
export const describeKind = (k: Kind): string => {
  const bounds = [
    k.min !== undefined && k.max !== undefined ? `in [${k.min}, ${k.max}]` : '',
    k.min !== undefined && k.max === undefined ? `>= ${k.min}` : '',
    k.above !== undefined ? `> ${k.above}` : '',
    k.max !== undefined && k.min === undefined ? `<= ${k.max}` : '',
  ].filter(Boolean);
  switch (k.kind) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return [k.nullable ? 'null | integer' : 'integer', ...bounds].join(' ');
    case 'number':
      return ['number', ...bounds].join(' ');
    case 'enum':
      return k.choices?.join(' | ') ?? '';
    case 'list':
      return 'comma-separated list';
    case 'string':
      return 'string';
  }
};
