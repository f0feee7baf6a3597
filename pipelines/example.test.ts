import { describe, expect, it } from 'vitest';
import { ageGroup, main } from '../examples/custom-pipeline.js';

describe('examples/custom-pipeline (ELIM-Age, squared-Euclidean cost)', () => {
  it('age groups are the domain keys; the hand-composed stages and a short training run work', () => {
    expect([5, 25, 45, 75].map(ageGroup)).toEqual(['0-19', '20-39', '40-59', '60+']);
    const lines: string[] = [];
    const losses = main(60, (l) => lines.push(l));
    expect(lines.some((l) => l.startsWith('age group'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^outcomes: /);
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(avg(losses.slice(-10))).toBeLessThan(avg(losses.slice(0, 10)));
  });
});
