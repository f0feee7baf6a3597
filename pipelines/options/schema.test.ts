/**
 * The schema machinery on a schema of its own: what adding one entry gives (type, default,
 * validation, docs row), without the ELIM options around it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { bool, checkValue, describeKind, int, intOrNull, num, oneOf, parseValue } from './kinds.js';
import { defaultsOf, firstBadValue, flagNamesOf, group, leaves, opt, overlay, type Infer } from './schema.js';

const S = {
  on: opt(bool(), true, { provenance: 'paper', note: 'switch', flag: { from: 'method' } }),
  mode: opt(oneOf('a', 'b'), 'a', { provenance: 'here', note: 'mode' }),
  inner: group('in-', {
    count: opt(int({ min: 1 }), 3, { provenance: 'release', note: 'count', flag: { name: 'n' } }),
    width: opt(intOrNull({ min: 1 }), null, { provenance: 'here', note: 'width' }),
    rate: opt(num({ above: 0 }), 0.5, {
      provenance: 'here',
      note: 'rate',
      also: [{ name: 'period', kind: num({ above: 0 }), help: '1 / rate', to: (p) => 1 / (p as number) }],
    }),
  }),
};

describe('an option schema', () => {
  it('infers the value type', () => {
    expectTypeOf<Infer<typeof S>>().toEqualTypeOf<{
      readonly on: boolean;
      readonly mode: 'a' | 'b';
      readonly inner: { readonly count: number; readonly width: number | null; readonly rate: number };
    }>();
  });

  it('gives the defaults in schema order', () => {
    const d = defaultsOf(S);
    expect(d).toEqual({ on: true, mode: 'a', inner: { count: 3, width: null, rate: 0.5 } });
    expect(JSON.stringify(d)).toBe('{"on":true,"mode":"a","inner":{"count":3,"width":null,"rate":0.5}}');
  });

  it('lists every option with its path and flags (derived, named, shared, alternative)', () => {
    expect(leaves(S).map((l) => [l.path, flagNamesOf(l)])).toEqual([
      ['on', ['method']],
      ['mode', ['mode']],
      ['inner.count', ['n']],
      ['inner.width', ['in-width']],
      ['inner.rate', ['in-rate', 'period']],
    ]);
  });

  it('names the first value outside its kind', () => {
    const d = defaultsOf(S);
    expect(firstBadValue(S, d)).toBeUndefined();
    expect(firstBadValue(S, overlay(S, d, { inner: { count: 0 } }))).toEqual(['inner.count', 'must be >= 1, got 0']);
    expect(firstBadValue(S, overlay(S, d, { inner: { count: 2.5 } }))).toEqual(['inner.count', 'must be an integer, got 2.5']);
    expect(firstBadValue(S, overlay(S, d, { mode: 'c' }))).toEqual(['mode', "must be one of a, b; got 'c'"]);
    expect(firstBadValue(S, overlay(S, d, { inner: { rate: 0 } }))).toEqual(['inner.rate', 'must be > 0, got 0']);
    expect(firstBadValue(S, overlay(S, d, { inner: { rate: Infinity } }))).toEqual(['inner.rate', 'must be a finite number, got Infinity']);
    expect(firstBadValue(S, overlay(S, d, { inner: { width: 4 } }))).toBeUndefined();
  });

  it('overlay keeps the other fields of a group and drops keys the schema lacks', () => {
    const d = defaultsOf(S);
    expect(overlay(S, d, { inner: { rate: 2 }, stray: 1 })).toEqual({ ...d, inner: { ...d.inner, rate: 2 } });
  });
});

describe('value kinds', () => {
  it('parse command-line strings and config values alike', () => {
    expect(parseValue(int({ min: 1 }), '4')).toEqual(E.right(4));
    expect(parseValue(int({ min: 1 }), 4)).toEqual(E.right(4));
    expect(parseValue(int({ min: 1 }), '4.5')).toEqual(E.left("expects an integer, got '4.5'"));
    expect(parseValue(int({ min: 1 }), '0')).toEqual(E.left('must be >= 1, got 0'));
    expect(parseValue(intOrNull(), 'null')).toEqual(E.right(null));
    expect(parseValue(bool(), 'no')).toEqual(E.right(false));
    expect(parseValue(oneOf('x', 'y'), 'z')).toEqual(E.left("must be one of x, y; got 'z'"));
    expect(checkValue(num({ min: 0, max: 1 }), 1.5)).toBe('must be <= 1, got 1.5');
  });

  it('describe their values in words', () => {
    expect([int({ min: 2 }), num({ above: 0 }), num({ min: 0, max: 0.9 }), intOrNull({ min: 1 }), oneOf('a', 'b'), bool()].map(describeKind)).toEqual([
      'integer >= 2',
      'number > 0',
      'number in [0, 0.9]',
      'null | integer >= 1',
      'a | b',
      'boolean',
    ]);
  });
});
