/** JSON answers stream in chunks (a 5000 x 5000 plan is longer than V8's longest string); the `elim ot` iteration cap. */
import { describe, expect, it } from 'vitest';
import { writeJsonStream } from './stdin-json.js';
import { iterationCapProblem } from './commands/ot.js';
import { main } from './main.js';

describe('writeJsonStream', () => {
  it('writes exactly what JSON.stringify writes, in bounded chunks', () => {
    const value = {
      plan: Array.from({ length: 50 }, (_, i) => Array.from({ length: 50 }, (_, j) => (i * j) / 7)),
      u: [1, NaN, null, -0],
      s: 'a"b\n',
      nested: [{ a: undefined, b: true }],
      typed: Float32Array.from([1, 2]),
      none: undefined,
    };
    const chunks: string[] = [];
    writeJsonStream(value, (c) => chunks.push(c), 1000);
    expect(chunks.join('')).toBe(JSON.stringify(value));
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(1100);
  });
});

describe('elim ot and command names', () => {
  it('refuses an iteration count over the cap before solving, naming the problem', () => {
    expect(iterationCapProblem({ cost: [[0]], iterations: 1e10 })).toMatch(/^iterations: at most 1000000, got 10000000000/);
    expect(iterationCapProblem([{ cost: [[0]] }, { cost: [[0]], iterations: 1e10 }])).toMatch(/^\[1\]\.iterations/);
    expect(iterationCapProblem({ cost: [[0]], iterations: 50 })).toBeUndefined();
  });
  it("Object.prototype's names are not commands; a bad ELIM_BACKEND is refused", async () => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
    const prev = process.env.ELIM_BACKEND;
    try {
      expect(await main(['constructor'])).toBe(2);
      expect(await main(['__proto__'])).toBe(2);
      expect(err.join('')).toMatch(/unknown command 'constructor'/);
      process.env.ELIM_BACKEND = 'garbage';
      expect(await main(['options'])).toBe(2);
      expect(err.join('')).toMatch(/ELIM_BACKEND: must be auto, cpu or gpujs; got 'garbage'/);
    } finally {
      process.stderr.write = write;
      if (prev === undefined) delete process.env.ELIM_BACKEND;
      else process.env.ELIM_BACKEND = prev;
    }
  });
});
