/**
 * Axis ticks by Heckbert's "nice numbers" (Graphics Gems, 1990): steps of 1, 2 or 5 times a
 * power of ten, and tick labels with just enough decimals to tell neighbours apart. Unlike
 * Heckbert we round span / (target - 1) directly instead of first rounding the span up,
 * which can double the step (a span of 2.03 would get ticks at -1, 0, 1 instead of halves).
 */

/** A "nice" number near x: 1, 2, 5 or 10 times a power of ten; `round` picks nearest, else ceiling. */
export const niceNumber = (x: number, round: boolean): number => {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`niceNumber: x must be positive and finite, got ${x}`);
  const exp = Math.floor(Math.log10(x));
  const f = x / 10 ** exp;
  let nf: number;
  if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nf * 10 ** exp;
};

export interface Ticks {
  /** Axis range widened outward to whole steps. */
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly values: readonly number[];
}

/** About `target` ticks covering [lo, hi]; a degenerate range is widened around its value. */
export const niceTicks = (lo: number, hi: number, target = 5): Ticks => {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks: non-finite range [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  const step = niceNumber((hi - lo) / Math.max(1, target - 1), true);
  const min = Math.floor(lo / step + 1e-9) * step;
  const max = Math.ceil(hi / step - 1e-9) * step;
  const values: number[] = [];
  const count = Math.round((max - min) / step);
  // Snap each tick to the step's decimal grid so 0.1 * 3 prints as 0.3, not 0.30000000000000004.
  const dec = decimalsFor(step);
  for (let i = 0; i <= count; i++) values.push(Number((min + i * step).toFixed(dec)));
  return { min: values[0], max: values[values.length - 1], step, values };
};

/** Nice tick values inside [lo, hi] exactly, for axes whose bounds are fixed (e.g. VA in [-1, 1]). */
export const ticksWithin = (lo: number, hi: number, target = 5): Ticks => {
  const t = niceTicks(lo, hi, target);
  const values = t.values.filter((v) => v >= lo - 1e-9 * Math.abs(t.step) && v <= hi + 1e-9 * Math.abs(t.step));
  return { min: lo, max: hi, step: t.step, values };
};

/** Decimals needed to print multiples of `step` exactly (0.2 -> 1, 0.25 -> 2, 50 -> 0). */
export const decimalsFor = (step: number): number => {
  const a = Math.abs(step);
  if (!(a > 0) || !Number.isFinite(a)) return 0;
  for (let d = 0; d < 12; d++) {
    const scaled = a * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= 1e-9 * scaled) return d;
  }
  return 12;
};

/** Label for a tick value on an axis with the given step. Very large or small steps switch to exponent form. */
export const formatTick = (v: number, step: number): string => {
  if (v === 0) return '0';
  const mag = Math.abs(v);
  if (step >= 1e6 || mag >= 1e7 || step < 1e-4) return formatExp(v);
  return v.toFixed(decimalsFor(step));
};

const formatExp = (v: number): string => {
  const [m, e] = v.toExponential(2).split('e');
  const mant = String(Number(m)); // drop trailing zeros: 1.00 -> 1
  return `${mant}e${Number(e)}`;
};

/**
 * Ticks for a log10 axis over [lo, hi] (both > 0). The axis keeps the data range (padded by
 * 5% in log space) rather than widening to whole decades, which would squash short loss
 * curves; ticks are decades, plus 2x and 5x (then every integer multiple) when too few
 * decades fall inside the range.
 */
export const logTicks = (lo: number, hi: number): Ticks => {
  if (!(lo > 0 && hi > 0)) throw new RangeError(`logTicks: bounds must be positive, got [${lo}, ${hi}]`);
  if (lo > hi) [lo, hi] = [hi, lo];
  let l0 = Math.log10(lo),
    l1 = Math.log10(hi);
  if (l1 - l0 < 0.1) {
    l0 -= 0.05;
    l1 += 0.05;
  }
  const pad = 0.05 * (l1 - l0);
  const min = 10 ** (l0 - pad),
    max = 10 ** (l1 + pad);
  const within = (mults: readonly number[]) => {
    const out: number[] = [];
    for (let e = Math.floor(l0 - pad); e <= Math.ceil(l1 + pad); e++) {
      for (const m of mults) {
        const v = Number((m * 10 ** e).toPrecision(3));
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  };
  let values = within([1]);
  if (values.length < 3) values = within([1, 2, 5]);
  if (values.length < 3) values = within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return { min, max, step: NaN, values };
};

export const formatLogTick = (v: number): string => {
  const e = Math.log10(v);
  if (v >= 1e-3 && v < 1e5) return String(Number(v.toPrecision(3)));
  return Number.isInteger(Math.round(e * 1e9) / 1e9) ? `1e${Math.round(e)}` : formatExp(v);
};
