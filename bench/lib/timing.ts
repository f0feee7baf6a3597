/**
 * Timing for benchmarks on a shared machine: warm-up runs, then `reps` timed runs; reports the
 * median wall time and the process CPU time over wall time (all threads, workers included), so
 * a two-thread figure can be checked (≈ 2 when both threads really ran, ≈ 1 when they took
 * turns on a busy machine). Compare engines by ratios measured in the same run, not by
 * absolute numbers.
 */
import os from 'node:os';

export interface Timing {
  /** Median wall time of the timed runs, in milliseconds. */
  readonly medianMs: number;
  readonly minMs: number;
  /** CPU time of the whole process over wall time, summed over the timed runs. */
  readonly cpuPerWall: number;
  readonly reps: number;
}

export interface TimingOptions {
  /** Untimed runs first (JIT, caches, buffer growth); default 1. */
  readonly warmup?: number;
  /** Timed runs; default 5. */
  readonly reps?: number;
  /** Stop adding timed runs once this much wall time was spent (after at least one); default Infinity. */
  readonly maxMs?: number;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The timed loop's bookkeeping (shared by timeSync and timeAsync): wall time per run and CPU time over all runs. */
const timedRuns = (opts: TimingOptions) => {
  const { warmup = 1, reps = 5, maxMs = Number.POSITIVE_INFINITY } = opts;
  const walls: number[] = [];
  let cpu = 0;
  let wall = 0;
  let c0 = 0;
  let t0 = 0;
  return {
    warmup,
    more: (): boolean => walls.length < reps && (walls.length === 0 || wall < maxMs),
    start: (): void => {
      c0 = cpuMs();
      t0 = performance.now();
    },
    stop: (): void => {
      const dt = performance.now() - t0;
      cpu += cpuMs() - c0;
      wall += dt;
      walls.push(dt);
    },
    result: (): Timing => ({ medianMs: median(walls), minMs: Math.min(...walls), cpuPerWall: wall > 0 ? cpu / wall : 0, reps: walls.length }),
  };
};

/** Times a synchronous function. */
export const timeSync = (fn: () => void, opts: TimingOptions = {}): Timing => {
  const r = timedRuns(opts);
  for (let i = 0; i < r.warmup; i++) fn();
  while (r.more()) {
    r.start();
    fn();
    r.stop();
  }
  return r.result();
};

/** Times an asynchronous function (awaited each run). */
export const timeAsync = async (fn: () => Promise<void>, opts: TimingOptions = {}): Promise<Timing> => {
  const r = timedRuns(opts);
  for (let i = 0; i < r.warmup; i++) await fn();
  while (r.more()) {
    r.start();
    await fn();
    r.stop();
  }
  return r.result();
};

/** GFLOP/s of `flops` done in `ms` milliseconds. */
export const gflops = (flops: number, ms: number): number => flops / ms / 1e6;

/** One line describing the machine's state (load averages against the CPU count). */
export const machineLine = (): string => {
  const [l1, l5] = os.loadavg();
  return `node ${process.version}, ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${l1.toFixed(2)} (1 min) ${l5.toFixed(2)} (5 min)`;
};
