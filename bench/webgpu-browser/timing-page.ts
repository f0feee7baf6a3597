/**
 * bench/lib/timing.ts for a page (the browser bench's bundle puts this file in its place): the
 * same API on performance.now, without the process CPU time and load averages a page cannot read.
 */
export type { Timing, TimingOptions } from '../lib/timing.js';
import type { Timing, TimingOptions } from '../lib/timing.js';

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const timeAsync = async (fn: () => Promise<void>, o: TimingOptions = {}): Promise<Timing> => {
  const { warmup = 1, reps = 5 } = o;
  for (let i = 0; i < warmup; i++) await fn();
  const walls: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    walls.push(performance.now() - t0);
  }
  return { medianMs: median(walls), minMs: Math.min(...walls), cpuPerWall: Number.NaN, reps: walls.length };
};

export const timeSync = (fn: () => void, o: TimingOptions = {}): Timing => {
  const { warmup = 1, reps = 5 } = o;
  for (let i = 0; i < warmup; i++) fn();
  const walls: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    walls.push(performance.now() - t0);
  }
  return { medianMs: median(walls), minMs: Math.min(...walls), cpuPerWall: Number.NaN, reps: walls.length };
};

export const gflops = (flops: number, ms: number): number => flops / ms / 1e6;

export const machineLine = (): string => 'headless Chromium page';
