/** Bad input is a typed error naming what is wrong; the JSON interop for `elim ot`. */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { makeProblem, relevanceWeights, sinkhorn, solveBatched, costMatrix, type OtProblem } from './index.js';
import { runOtJson } from './interop.js';

const ok = { cost: [0, 1, 1, 0], n: 2, m: 2, a: [1, 1], b: [1, 1] };
const leftOf = <L, A>(e: E.Either<L, A>): L => {
  if (E.isRight(e)) throw new Error('expected a Left');
  return e.left;
};
const problem = (): OtProblem => {
  const p = makeProblem(ok);
  if (E.isLeft(p)) throw new Error(p.left.message);
  return p.right;
};

describe('OT input validation', () => {
  it.each([
    ['NaN cost', { ...ok, cost: [0, NaN, 1, 0] }, 'NonFinite', 'cost'],
    ['Inf cost', { ...ok, cost: [0, Infinity, 1, 0] }, 'NonFinite', 'cost'],
    ['NaN weight', { ...ok, a: [1, NaN] }, 'NonFinite', 'a'],
    ['negative weight', { ...ok, b: [1, -1] }, 'NegativeWeight', 'b'],
    ['zero mass', { ...ok, a: [0, 0] }, 'ZeroMass', 'a'],
    ['cost shape', { ...ok, cost: [0, 1, 1] }, 'ShapeMismatch', 'cost'],
    ['weight shape', { ...ok, a: [1, 1, 1] }, 'ShapeMismatch', 'a'],
    ['empty set', { ...ok, n: 0, cost: [], a: [] }, 'EmptySet', 'n'],
  ] as const)('%s', (_name, input, tag, field) => {
    const e = leftOf(makeProblem(input as never));
    expect(e._tag).toBe(tag);
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });

  it.each([
    [{ lambda: 0 }, 'lambda'],
    [{ lambda: -1 }, 'lambda'],
    [{ eta: 0 }, 'eta'],
    [{ lambda: NaN }, 'lambda'],
    [{ lambda: 1, eta: 1 }, 'lambda'],
    [{ iterations: 0 }, 'iterations'],
    [{ tolerance: -1 }, 'tolerance'],
    [{ guard: -1 }, 'guard'],
  ])('bad option %j', (o, field) => {
    const e = leftOf(sinkhorn(problem(), o));
    expect(e._tag).toBe('BadParameter');
    expect(e.field).toBe(field);
  });

  it('eta is the same knob as 1/lambda', () => {
    const a = sinkhorn(problem(), { eta: 0.2 });
    const b = sinkhorn(problem(), { lambda: 5 });
    expect(E.isRight(a) && E.isRight(b) && Array.from(a.right.plan)).toEqual(E.isRight(b) && Array.from(b.right.plan));
  });

  it("unequal totals rescale b to a's mass unless asked not to", () => {
    const p = makeProblem({ ...ok, b: [2, 2] });
    expect(E.isRight(p) && Array.from(p.right.b)).toEqual([1, 1]);
    const q = makeProblem({ ...ok, b: [2, 2], rescaleB: false });
    expect(E.isRight(q) && Array.from(q.right.b)).toEqual([2, 2]);
  });

  it('empty batch, mixed dtypes, bad points', () => {
    expect(leftOf(solveBatched([]))._tag).toBe('EmptySet');
    expect(leftOf(costMatrix('cosine', { data: [1, 2], rows: 1, dim: 2 }, { data: [1, 2, 3], rows: 1, dim: 3 }))._tag).toBe('ShapeMismatch');
    expect(leftOf(costMatrix('cosine', { data: [1, NaN], rows: 1, dim: 2 }, { data: [1, 2], rows: 1, dim: 2 })).field).toBe('x');
    expect(leftOf(relevanceWeights({ data: [1, 0], rows: 1, dim: 2 }, { data: [-1, 0], rows: 1, dim: 2 }, 'mean-dot'))._tag).toBe('ZeroMass');
  });
});

describe('runOtJson', () => {
  it('one problem -> plan, potentials, shift; a list -> a list', () => {
    const out = runOtJson({
      cost: [
        [0, 1],
        [1, 0],
      ],
      a: [1, 1],
      b: [1, 1],
      lambda: 5,
      iterations: 5,
      mode: 'scaling',
      dtype: 'float64',
    });
    expect(E.isRight(out)).toBe(true);
    const r = (out as E.Right<{ plan: number[][]; shift: number[]; iterations: number; marginalError: { norm: string } }>).right;
    expect(r.plan).toHaveLength(2);
    expect(r.shift).toHaveLength(2);
    expect(r.iterations).toBe(5);
    expect(r.marginalError.norm).toBe('L1');
    const many = runOtJson([{ cost: [[0]] }, { cost: [[0, 1]], eta: 0.5, mode: 'log' }]);
    expect(E.isRight(many) && (many.right as unknown[]).length).toBe(2);
  });

  it('log mode with huge lambda: u, v may be null, the plan stays finite', () => {
    const out = runOtJson({
      cost: [
        [0, 2],
        [2, 0],
      ],
      lambda: 1e4,
      iterations: 50,
      mode: 'log',
    });
    expect(E.isRight(out)).toBe(true);
    expect(JSON.stringify(out)).not.toContain('NaN');
  });

  it.each([
    [{ cost: 'x' }, 'cost'],
    [{ cost: [[0, 1], [1]] }, 'cost[1]'],
    [{ cost: [[0, 'a']] }, 'cost[0][1]'],
    [{ cost: [[0, 1]], a: [1, -1] }, 'a'],
    [{ cost: [[0, 1]], lambda: 'big' }, 'lambda'],
    [{ cost: [[0, 1]], lambda: -2 }, 'lambda'],
    [{ cost: [[0, 1]], mode: 'fast' }, 'mode'],
    [{ cost: [[0, 1]], dtype: 'int8' }, 'dtype'],
    [[{ cost: [[0]] }, { cost: [[0]], b: [0] }], '[1].b'],
    [42, 'input'],
  ])('malformed %j names %s', (input, field) => {
    const e = leftOf(runOtJson(input));
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });
});
