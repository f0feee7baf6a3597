/** Number formatting shared by the text and markdown tables: fixed decimals, 'n/a' for non-finite. */
export const fmt = (x: number, decimals = 3): string => (Number.isFinite(x) ? x.toFixed(decimals) : 'n/a');

/** Always signed ('+' for zero too, so -0.0001 rounds to '+0.000' rather than '-0.000'). */
export const fmtSigned = (x: number, decimals = 3): string => {
  if (!Number.isFinite(x)) return 'n/a';
  const r = Number(x.toFixed(decimals));
  return `${r < 0 ? '-' : '+'}${Math.abs(r).toFixed(decimals)}`;
};

export const fmtMeanStd = (mean: number, std: number, decimals = 3): string => `${fmt(mean, decimals)} ± ${fmt(std, decimals)}`;

export const fmtSignedMeanStd = (mean: number, std: number, decimals = 3): string => `${fmtSigned(mean, decimals)} ± ${fmt(std, decimals)}`;
