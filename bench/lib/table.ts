/** Plain-text tables for benchmark output: right-aligned numbers, left-aligned text. */

export type Cell = string | number | null | undefined;

const fmtCell = (c: Cell, digits: number): string => {
  if (c === null || c === undefined) return '-';
  if (typeof c === 'number') return Number.isFinite(c) ? c.toFixed(digits) : String(c);
  return c;
};

/** Formats rows under headers; numbers get `digits` decimals and are right-aligned. */
export const formatTable = (headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>, digits = 2): string => {
  const text = rows.map((r) => headers.map((_, i) => fmtCell(r[i], digits)));
  const numeric = headers.map((_, i) => rows.some((r) => typeof r[i] === 'number'));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
};

export const printTable = (headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>, digits = 2): void => {
  console.log(formatTable(headers, rows, digits));
};
