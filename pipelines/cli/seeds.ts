/**
 * `--seeds` of `elim compare`: one small function so that every rule about seeds lives in one
 * place. Forms:
 * - a count: `--seeds 20` is seeds 0..19 (one value alone is always a count);
 * - a list: `--seeds 3,7,11` (two or more values) is exactly those seeds;
 * - a range: `--seeds 5..9` is 5, 6, 7, 8, 9 (`--seeds 7..7` is the one seed 7).
 * The value arrives already split on commas (the parser's `list` kind).
 */
import * as E from 'fp-ts/lib/Either.js';

const INT = /^-?\d+$/;

export const parseSeeds = (values: readonly string[]): E.Either<string, number[]> => {
  const vs = values.map((v) => v.trim()).filter((v) => v !== '');
  if (vs.length === 0) return E.left('--seeds needs a count (e.g. 20), a list (e.g. 0,1,2) or a range (e.g. 0..19)');
  if (vs.length === 1) {
    const range = /^(-?\d+)\.\.(-?\d+)$/.exec(vs[0]);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (b < a) return E.left(`--seeds range ${vs[0]} is empty (end before start)`);
      return E.right(Array.from({ length: b - a + 1 }, (_, i) => a + i));
    }
    if (!INT.test(vs[0]) || Number(vs[0]) < 1)
      return E.left(`--seeds: a single value is a count of seeds and must be an integer >= 1, got '${vs[0]}' (one seed s: --seeds s..s)`);
    return E.right(Array.from({ length: Number(vs[0]) }, (_, i) => i));
  }
  const bad = vs.find((v) => !INT.test(v));
  if (bad !== undefined) return E.left(`--seeds must be integers, got '${bad}'`);
  return E.right(vs.map(Number));
};
