/** Min and max of the finite values, by a loop (spreading 100k values into Math.min overflows the stack). */
export const extent = (xs: Iterable<number>): [number, number] | undefined => {
  let lo = Infinity,
    hi = -Infinity;
  for (const x of xs) {
    if (!Number.isFinite(x)) continue;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return lo <= hi ? [lo, hi] : undefined;
};
