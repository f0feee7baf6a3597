/**
 * The ELIM flags are derived from the option schema: every option is reachable from the command
 * line, a config file and a compare variant, and resolves to the ElimConfig it names.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, describeConfig, ELIM_OPTIONS, makeConfig, RELEASE_PRESET, type ElimConfig } from '../config.js';
import { getPath, leaves } from '../options/schema.js';
import { helpText, parseArgv, resolveOptions, type CommandSpec } from './args.js';
import { elimConfigFrom } from './elim-flags.js';
import { TRAIN_OPTIONS } from './train-options.js';
import { spec as compareSpec } from './commands/compare.js';

const train: CommandSpec = { name: 'train', summary: '', options: TRAIN_OPTIONS };
const resolve = (argv: string[], config: Record<string, unknown> = {}) => {
  const p = parseArgv(train, argv);
  if (E.isLeft(p)) throw new Error(p.left.message);
  const r = resolveOptions(train, p.right, config);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const configOf = (argv: string[], config: Record<string, unknown> = {}): ElimConfig => {
  const c = elimConfigFrom(resolve(argv, config));
  if (E.isLeft(c)) throw new Error(c.left.message);
  return c.right;
};
/** P = K = 8: the CLI's defaults for domains and topk. */
const cliDefault = makeConfig({ domains: 8, topk: 8 });

describe('ELIM flags from the option schema', () => {
  it('every option has a flag in elim train and (but --method) elim compare, with help', () => {
    const flags = new Set(TRAIN_OPTIONS.map((o) => o.name));
    const compare = new Set(compareSpec.options.map((o) => o.name));
    for (const o of describeConfig()) {
      expect(o.flags.length, o.path).toBeGreaterThan(0);
      for (const f of o.flags) {
        expect(flags.has(f.slice(2)), f).toBe(true);
        // compare sets the method per variant (a variant's `method` key), not by flag
        if (f !== '--method') expect(compare.has(f.slice(2)), f).toBe(true);
      }
    }
    const help = helpText(train);
    expect(help).toMatch(/--attention-width <int> +ELIM-Attention model width \(unset: the latent size d\)\n/);
    expect(help).toMatch(/--main-scale <number> .*\(default: 1; release preset: 0\.5\)/);
    expect(help).toMatch(/--domains <int> .*\(default: the value of --identities-per-batch\)/);
  });

  it('no flag given: the defaults (domains and topk from the batch shape)', () => {
    expect(configOf([])).toEqual(cliDefault);
    expect(JSON.stringify(configOf([]))).toBe(JSON.stringify(cliDefault)); // key order too: checkpoints compare configs as JSON
  });

  it('--preset release: the preset, and a flag given over it wins', () => {
    expect(configOf(['--preset', 'release'])).toEqual(makeConfig({ ...RELEASE_PRESET, domains: 8, topk: 8 }, makeConfig(RELEASE_PRESET)));
    expect(configOf(['--preset', 'release', '--shift', 'per-sample', '--no-include-anchor']).shift).toBe('per-sample');
    expect(configOf(['--preset', 'release', '--no-include-anchor']).loss.includeAnchor).toBe(false);
    expect(configOf(['--two-step']).steps).toBe('two-step');
  });

  it("each option's flag sets that option and nothing else", () => {
    for (const l of leaves(ELIM_OPTIONS)) {
      const f = l.opt.flag;
      if ('from' in f || f.to || l.flagName === null) continue;
      const d = getPath(DEFAULT_CONFIG, l.path);
      const k = l.opt.kind;
      const other = k.kind === 'enum' ? k.choices!.find((c) => c !== d)! : k.kind === 'boolean' ? !d : d === null ? 16 : (d as number) + 1;
      const c = configOf([`--${l.flagName}=${String(other)}`]);
      const want = makeConfig({}, cliDefault) as unknown as Record<string, unknown>;
      const [g, key] = l.path.includes('.') ? l.path.split('.') : [undefined, l.path];
      const expected = g ? { ...want, [g]: { ...(want[g] as object), [key]: other } } : { ...want, [key]: other };
      expect(c, l.path).toEqual(expected);
    }
  });

  it('shared and alternative flags: --method sets elim, --domain-key the domain key, --eta overrides --lambda', () => {
    expect(configOf(['--method', 'baseline']).elim).toBe(false);
    expect(configOf(['--domain-key', 'age-group']).domainKey).toBe('age-group');
    expect(configOf(['--lambda', '3', '--eta', '0.5']).transport.lambda).toBe(2);
  });

  it('config-file keys are the flags (kebab-case or camelCase)', () => {
    const c = configOf([], { 'va-weight': 2, shiftStrength: 0.5, 'attention-width': 16 });
    expect([c.loss.vaWeight, c.shiftStrength, c.attention.width]).toEqual([2, 0.5, 16]);
    expect(() => resolve([], { 'va-wieght': 2 })).toThrow(/unknown key 'va-wieght'/);
  });

  it('a bad value is one line naming the flag and the field', () => {
    expect(() => resolve(['--norm-eps', '0'])).toThrow(/^elim train: --norm-eps must be > 0, got 0$/);
    const r = elimConfigFrom(resolve(['--anchors', '8']));
    expect(E.isLeft(r) && r.left.message).toBe('--anchors (anchors) must be < domains (8), got 8');
  });
});
