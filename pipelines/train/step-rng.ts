/**
 * Randomness of one training iteration, derived from (seed, iteration) alone: a resumed run
 * draws exactly the dropout masks, flips and Gumbel noise an uninterrupted run would have,
 * without having to replay or store generator state.
 */
import { Rng } from '../../lib/rng/rng.js';

const mix = (a: number, b: number): number => {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
};

export interface StepStreams {
  readonly augment: Rng;
  readonly dropout: Rng;
  readonly objective: Rng;
}

export const stepStreams = (seed: number, iteration: number): StepStreams => {
  const root = Rng.fromSeed(mix(seed >>> 0, iteration >>> 0));
  return { augment: root.fork(), dropout: root.fork(), objective: root.fork() };
};
