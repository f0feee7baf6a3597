/**
 * A plain-text table for terminals and logs: columns padded to their widest cell (left- or
 * right-aligned per column), separated by two spaces, with a dashed rule under the header.
 */
export type Align = 'left' | 'right';

export const textTable = (header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string => {
  const all = [header, ...rows];
  const widths = header.map((_, j) => Math.max(...all.map((r) => [...(r[j] ?? '')].length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, j) => (align[j] === 'right' ? cell.padStart(widths[j]) : cell.padEnd(widths[j])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
};
