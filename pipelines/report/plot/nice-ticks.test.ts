import { describe, expect, it } from 'vitest';
import { decimalsFor, formatLogTick, formatTick, logTicks, niceNumber, niceTicks, ticksWithin } from './nice-ticks.js';

const decimalsOf = (v: number) => (String(v).split('.')[1] ?? '').length;

describe('niceNumber', () => {
  it('rounds to 1, 2, 5 or 10 times a power of ten', () => {
    expect(niceNumber(1.2, true)).toBe(1);
    expect(niceNumber(2.6, true)).toBe(2);
    expect(niceNumber(4, true)).toBe(5);
    expect(niceNumber(8, true)).toBe(10);
    expect(niceNumber(0.027, true)).toBeCloseTo(0.02, 12);
    expect(niceNumber(0.031, true)).toBeCloseTo(0.05, 12);
    expect(niceNumber(1.2, false)).toBe(2);
    expect(niceNumber(2.6, false)).toBe(5);
    expect(niceNumber(730, false)).toBe(1000);
  });
  it('rejects non-positive input', () => {
    expect(() => niceNumber(0, true)).toThrow(RangeError);
    expect(() => niceNumber(-1, false)).toThrow(RangeError);
  });
});

describe('niceTicks', () => {
  it('covers [0, 1] in steps of 0.2', () => {
    const t = niceTicks(0, 1, 5);
    expect(t.step).toBeCloseTo(0.2, 12);
    expect(t.values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
  it('widens outward to whole steps and covers the data', () => {
    for (const [lo, hi] of [
      [0.013, 0.87],
      [-3.7, 12.2],
      [1234, 98765],
      [-0.0021, -0.0003],
      [0, 500],
    ]) {
      const t = niceTicks(lo, hi, 6);
      expect(t.min).toBeLessThanOrEqual(lo);
      expect(t.max).toBeGreaterThanOrEqual(hi);
      expect(t.values.length).toBeGreaterThanOrEqual(3);
      expect(t.values.length).toBeLessThanOrEqual(12);
      for (let i = 1; i < t.values.length; i++) expect(t.values[i] - t.values[i - 1]).toBeCloseTo(t.step, 9);
      // no float noise such as 0.30000000000000004
      for (const v of t.values) expect(decimalsOf(v)).toBeLessThanOrEqual(decimalsFor(t.step));
    }
  });
  it('widens a degenerate range around its value', () => {
    const t = niceTicks(5, 5);
    expect(t.min).toBeLessThan(5);
    expect(t.max).toBeGreaterThan(5);
    expect(niceTicks(0, 0).values).toContain(0);
  });
  it('ticksWithin keeps fixed bounds', () => {
    const t = ticksWithin(-1.03, 1, 5);
    expect([t.min, t.max]).toEqual([-1.03, 1]);
    expect(t.values).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
});

describe('tick labels', () => {
  it('print with the decimals of the step', () => {
    expect(formatTick(0.1 * 3, 0.1)).toBe('0.3');
    expect(formatTick(250, 50)).toBe('250');
    expect(formatTick(-0.5, 0.25)).toBe('-0.50');
    expect(formatTick(0, 0.2)).toBe('0');
    expect(formatTick(3e-6, 1e-6)).toBe('3e-6');
  });
  it('log ticks lie inside the axis and get multiples on short ranges', () => {
    const t = logTicks(0.04, 2.8);
    expect(t.values).toEqual(expect.arrayContaining([0.05, 0.1, 0.2, 0.5, 1, 2]));
    for (const v of t.values) expect(v >= t.min && v <= t.max).toBe(true);
    expect(logTicks(1e-4, 10).values).toEqual([1e-4, 1e-3, 0.01, 0.1, 1, 10]);
    expect(logTicks(0.3, 0.6).values.length).toBeGreaterThanOrEqual(3);
    expect(formatLogTick(1e-4)).toBe('1e-4');
    expect(formatLogTick(0.05)).toBe('0.05');
    expect(() => logTicks(0, 1)).toThrow(RangeError);
  });
});
