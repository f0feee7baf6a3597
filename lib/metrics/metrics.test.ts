/** Metric input validation and the JSON interop for `elim metrics` / `elim loss`. */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { metricsE, vaReport } from './metrics.js';
import { runLossJson, runMetricsJson } from './interop.js';

const leftOf = <L, A>(e: E.Either<L, A>): L => {
  if (E.isRight(e)) throw new Error('expected a Left');
  return e.left;
};

describe('metrics validation', () => {
  it('empty, length mismatch, NaN, bad sagrZero are typed errors naming the field', () => {
    expect(leftOf(metricsE('valence', [], []))).toMatchObject({ _tag: 'EmptyInput', field: 'valence.yTrue' });
    expect(leftOf(metricsE('valence', [1, 2], [1]))).toMatchObject({ _tag: 'LengthMismatch', field: 'valence.yPred' });
    expect(leftOf(metricsE('arousal', [1, NaN], [1, 2]))).toMatchObject({ _tag: 'NonFinite', field: 'arousal.yTrue', index: 1 });
    expect(leftOf(metricsE('arousal', [1, 2], [1, 2], 'zero' as never))).toMatchObject({ _tag: 'BadParameter', field: 'sagrZero' });
  });

  it('a report per axis', () => {
    const r = vaReport({ valence: [0.1, 0.5, -0.3], arousal: [0.2, 0.1, 0] }, { valence: [0.1, 0.5, -0.3], arousal: [0.3, 0.3, 0.3] });
    expect(E.isRight(r) && r.right.valence).toEqual({ rmse: 0, sagr: 1, pcc: 1, ccc: 1 });
    expect(E.isRight(r) && r.right.arousal.pcc).toBe(0);
  });
});

describe('runMetricsJson / runLossJson', () => {
  it('metrics from [[v, a], ...] pairs', () => {
    const r = runMetricsJson({
      yTrue: [
        [0.1, 0.2],
        [0.5, -0.4],
        [-0.3, 0],
      ],
      yPred: [
        [0.2, 0.1],
        [0.4, -0.2],
        [-0.1, 0.1],
      ],
      sagrZero: 'release',
    });
    expect(E.isRight(r)).toBe(true);
    const v = (r as E.Right<{ valence: Record<string, number>; arousal: Record<string, number> }>).right;
    expect(Object.keys(v.valence).sort()).toEqual(['ccc', 'pcc', 'rmse', 'sagr']);
    expect(v.arousal.sagr).toBeCloseTo(2 / 3, 12);
  });

  it('loss terms and d total / d scores', () => {
    const r = runLossJson({
      labels: [
        [0.1, 0.2],
        [0.5, -0.4],
        [-0.3, 0],
      ],
      scores: [
        [0.2, 0.1],
        [0.4, -0.2],
        [-0.1, 0.1],
      ],
      std: 'unbiased',
    });
    expect(E.isRight(r)).toBe(true);
    const v = (r as E.Right<{ total: number; grad: number[][] }>).right;
    expect(v.grad).toHaveLength(3);
    expect(Number.isFinite(v.total)).toBe(true);
  });

  it.each([
    [
      runMetricsJson,
      {
        yTrue: [[0, 1]],
        yPred: [
          [0, 1],
          [1, 1],
        ],
      },
      'yPred',
    ],
    [runMetricsJson, { yTrue: [[0, 1]], yPred: [[0, 'x']] }, 'yPred[0][1]'],
    [runMetricsJson, { yTrue: [[0]], yPred: [[0, 1]] }, 'yTrue[0]'],
    [runMetricsJson, { yTrue: [], yPred: [] }, 'yTrue'],
    [runMetricsJson, { yTrue: [[0, 1]], yPred: [[0, 1]], sagrZero: 'maybe' }, 'sagrZero'],
    [
      runLossJson,
      {
        labels: [
          [0, 1],
          [1, 0],
        ],
        scores: [
          [0, 1],
          [1, 0],
        ],
        std: 'biased',
      },
      'std',
    ],
    [runLossJson, { labels: [[0, 1]], scores: [[0, 1]] }, 'labels'],
    [runLossJson, 'nope', 'input'],
  ] as const)('malformed input names the field (%#)', (f, input, field) => {
    const e = leftOf(f(input));
    expect(e.field).toBe(field);
    expect(e.message).toContain(field);
  });
});
