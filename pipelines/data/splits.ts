/**
 * Splits that never leak a person (or a clip) across train / validation / test: whole groups
 * are assigned, by counting groups, not images. Group names are sorted before the seeded
 * shuffle so the split depends only on the seed and the set of names, not on file order.
 */
import type { Rng } from '../../lib/rng/rng.js';
import type { FaceRecord } from './face-record.js';

export interface SplitFractions {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

export interface Split<T> {
  readonly train: T[];
  readonly validation: T[];
  readonly test: T[];
}

export const DEFAULT_FRACTIONS: SplitFractions = { train: 0.7, validation: 0.1, test: 0.2 };

/** Group names per part: rounding gives validation and test at least one group each when their fraction is positive and there are enough groups. */
export const splitNames = (names: readonly string[], f: SplitFractions, rng: Rng): Split<string> => {
  const unique = [...new Set(names)].sort();
  const order = rng.shuffle(unique);
  const total = f.train + f.validation + f.test;
  const n = order.length;
  let nTest = Math.round((n * f.test) / total);
  let nVal = Math.round((n * f.validation) / total);
  if (f.test > 0 && nTest === 0 && n >= 3) nTest = 1;
  if (f.validation > 0 && nVal === 0 && n >= 3) nVal = 1;
  const nTrain = Math.max(0, n - nTest - nVal);
  return { train: order.slice(0, nTrain), validation: order.slice(nTrain, nTrain + nVal), test: order.slice(nTrain + nVal) };
};

export const splitByKey = <T>(items: readonly T[], key: (t: T) => string, f: SplitFractions, rng: Rng): Split<T> => {
  const names = splitNames(items.map(key), f, rng);
  const part = new Map<string, keyof Split<T>>();
  for (const p of ['train', 'validation', 'test'] as const) for (const k of names[p]) part.set(k, p);
  const out: Split<T> = { train: [], validation: [], test: [] };
  for (const it of items) out[part.get(key(it))!].push(it);
  return out;
};

export const splitByIdentity = (records: readonly FaceRecord[], f: SplitFractions, rng: Rng) => splitByKey(records, (r) => r.identity, f, rng);

/** By clip (falls back to identity where a record has no clip). An identity may span parts if it has several clips. */
export const splitByClip = (records: readonly FaceRecord[], f: SplitFractions, rng: Rng) => splitByKey(records, (r) => r.clip ?? r.identity, f, rng);
