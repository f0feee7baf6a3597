/**
 * Learning-rate schedules as pure functions of the number of updates already applied
 * (PyTorch's scheduler stepped once per iteration): they return a multiplier of the base lr.
 */
export type Schedule = (step: number) => number;

export const constantSchedule: Schedule = () => 1;

/** gamma^(number of milestones <= step) (torch MultiStepLR). The ELIM release: [500, 2500, 5000, 7500, 10000], 0.8. */
export const multiStep =
  (milestones: readonly number[], gamma: number): Schedule =>
  (step) =>
    gamma ** milestones.filter((m) => m <= step).length;

export const RELEASE_MILESTONES = [500, 2500, 5000, 7500, 10000] as const;
export const releaseSchedule: Schedule = multiStep(RELEASE_MILESTONES, 0.8);

/**
 * Cosine annealing from 1 to minFactor over `total` steps, after an optional linear warm-up
 * from 0 over `warmup` steps; minFactor after `total`.
 */
export const cosine = (total: number, o: { readonly warmup?: number; readonly minFactor?: number } = {}): Schedule => {
  const warmup = o.warmup ?? 0;
  const lo = o.minFactor ?? 0;
  return (step) => {
    if (step < warmup) return (step + 1) / warmup;
    if (step >= total) return lo;
    const frac = (step - warmup) / Math.max(total - warmup, 1);
    return lo + (1 - lo) * 0.5 * (1 + Math.cos(Math.PI * frac));
  };
};
