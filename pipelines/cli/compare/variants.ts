/**
 * `elim compare --variants FILE`: each variant is a set of train options over the command's own
 * (flag or camelCase names, checked like a config file, so every ELIM flag is a variant key) and
 * may name its method; the variant `baseline` sets the paired baseline's options.
 */
import * as E from 'fp-ts/lib/Either.js';
import { camel, resolveOptions, type CommandSpec, type ParsedOptions } from '../args.js';
import { loadConfigFile } from '../config-file.js';
import { runSpecFrom } from '../run-spec-from.js';

/** Each variant's options: the command's options with the variant's overrides (flag or camelCase names), checked like a config file. */
export const variantOptions = (spec: CommandSpec, base: ParsedOptions, name: string, overrides: Record<string, unknown>): E.Either<string, ParsedOptions> => {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return E.left(`variant '${name}' must be an object of options`);
  const bad = Object.keys(overrides).find((k) => ['seed', 'seeds', 'resume', 'out', 'variants', 'config'].includes(camel(k)));
  if (bad) return E.left(`variant '${name}': option '${bad}' cannot vary between variants`);
  const { method: _m, ...rest } = overrides; // the method is read by methodOf
  const r = resolveOptions(spec, { options: {}, explicit: new Set(), positionals: [], help: false }, rest, `variant '${name}'`);
  if (E.isLeft(r)) return E.left(r.left.message);
  const picked = Object.fromEntries(Object.keys(rest).map((k) => [camel(k), r.right[camel(k)]]));
  return E.right({ ...base, ...picked });
};

export type RunMethod = 'elim' | 'baseline' | 'adversarial';
/** A variant's method: elim unless it names baseline or adversarial; the variant 'baseline' is always the baseline. */
export const methodOf = (name: string, overrides: Record<string, unknown>): E.Either<string, RunMethod> => {
  const m = overrides.method ?? (name === 'baseline' ? 'baseline' : 'elim');
  if (m !== 'elim' && m !== 'baseline' && m !== 'adversarial')
    return E.left(`variant '${name}': method must be elim, baseline or adversarial, got ${JSON.stringify(m)}`);
  if (name === 'baseline' && m !== 'baseline') return E.left("the variant 'baseline' sets the paired baseline's options; its method is baseline");
  return E.right(m);
};

export interface Variant {
  readonly name: string;
  readonly overrides: Record<string, unknown>;
  readonly options: ParsedOptions;
  readonly method: RunMethod;
}

export interface VariantPlan {
  readonly variants: readonly Variant[];
  /** The paired baseline's options: the command's, or those of the variant named baseline. */
  readonly baselineOptions: ParsedOptions;
  readonly baselineOverrides: Record<string, unknown>;
}

/** The variants of a compare (one, `elim`, without --variants), each checked as a run of the first seed before anything trains. */
export const planVariants = async (spec: CommandSpec, options: ParsedOptions, seed: number): Promise<E.Either<string, VariantPlan>> => {
  if (typeof options.variants !== 'string')
    return E.right({ variants: [{ name: 'elim', overrides: {}, options, method: 'elim' }], baselineOptions: options, baselineOverrides: {} });
  const loaded = await loadConfigFile(options.variants);
  if (E.isLeft(loaded)) return E.left(loaded.left.message);
  const variants: Variant[] = [];
  let baselineOptions = options;
  let baselineOverrides: Record<string, unknown> = {};
  for (const name of Object.keys(loaded.right)) {
    if (!/^[A-Za-z0-9._-]+$/.test(name) || name.endsWith('+ttm')) return E.left(`variant name '${name}' must be [A-Za-z0-9._-]+`);
    const overrides = loaded.right[name] as Record<string, unknown>;
    const o = variantOptions(spec, options, name, overrides);
    if (E.isLeft(o)) return o;
    const method = methodOf(name, overrides ?? {});
    if (E.isLeft(method)) return method;
    const check = runSpecFrom({ ...o.right, method: method.right, seed, resume: false });
    if (E.isLeft(check)) return E.left(`variant '${name}': ${check.left.message}`);
    if (name === 'baseline') {
      baselineOptions = o.right;
      baselineOverrides = overrides;
    } else variants.push({ name, overrides, options: o.right, method: method.right });
  }
  if (variants.length === 0) return E.left('--variants names no variant besides the baseline');
  return E.right({ variants, baselineOptions, baselineOverrides });
};
