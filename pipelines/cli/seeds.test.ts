import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseSeeds } from './seeds.js';

const right = (v: string[]) => {
  const r = parseSeeds(v);
  if (E.isLeft(r)) throw new Error(r.left);
  return r.right;
};
const left = (v: string[]) => {
  const r = parseSeeds(v);
  if (E.isRight(r)) throw new Error(`expected an error for ${v.join(',')}, got ${r.right.join(',')}`);
  return r.left;
};

describe('parseSeeds', () => {
  it('reads one value as a count of seeds from 0', () => {
    expect(right(['20'])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(right(['1'])).toEqual([0]);
  });
  it('reads two or more values as the seeds themselves, in order', () => {
    expect(right(['3', '7', '11'])).toEqual([3, 7, 11]);
    expect(right(['1', '2'])).toEqual([1, 2]);
  });
  it('reads a..b as an inclusive range (a..a: one seed)', () => {
    expect(right(['5..9'])).toEqual([5, 6, 7, 8, 9]);
    expect(right(['7..7'])).toEqual([7]);
  });
  it('refuses counts below 1, non-integers, empty ranges and nothing', () => {
    expect(left(['0'])).toMatch(/count/);
    expect(left(['-3'])).toMatch(/count/);
    expect(left(['2.5'])).toMatch(/count/);
    expect(left(['1', 'x'])).toMatch(/integers/);
    expect(left(['9..5'])).toMatch(/empty/);
    expect(left([])).toMatch(/needs/);
  });
});
