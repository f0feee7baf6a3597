/**
 * summary.md for a run folder: configuration, final metrics, per-identity errors, the ELIM
 * vs baseline table when the run is a comparison, and the plots (linked and embedded). Only
 * the sections with data are written, so a partial run still gets a valid summary.
 */
import { sortIdentityRows } from '../plot/per-identity-errors.js';
import { AXES, METRICS, type FinalMetrics, type IdentityRow, type PlotLink, type RunSummary } from '../types.js';
import { formatCompareTable } from './compare-table.js';
import { fmt } from './format-number.js';

/** Escapes the characters that would break a markdown table cell. */
export const mdCell = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export const mdTable = (header: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string => {
  const sep = header.map((_, j) => (rightAligned[j] ? '---:' : '---'));
  const line = (r: readonly string[]) => `| ${r.map(mdCell).join(' | ')} |`;
  return [line(header), `|${sep.map((x) => ` ${x} `).join('|')}|`, ...rows.map(line)].join('\n');
};

/** Nested configuration objects become dotted keys; arrays and scalars print as JSON-ish values. */
export const flattenConfig = (obj: Readonly<Record<string, unknown>>, prefix = ''): [string, string][] =>
  Object.entries(obj).flatMap(([k, v]): [string, string][] => {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return flattenConfig(v as Record<string, unknown>, key);
    return [[key, typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v)]];
  });

const configSection = (config: Readonly<Record<string, unknown>>): string => `## Configuration\n\n${mdTable(['key', 'value'], flattenConfig(config))}`;

const finalSection = (final: readonly FinalMetrics[]): string => {
  const rows = final.flatMap((f) => AXES.map((ax) => [f.split, ax, ...METRICS.map((m) => fmt(f[ax][m]))]));
  return `## Final metrics\n\n${mdTable(['split', 'axis', 'RMSE', 'SAGR', 'PCC', 'CCC'], rows, [false, false, true, true, true, true])}`;
};

const identitySection = (rows: readonly IdentityRow[]): string => {
  const body = sortIdentityRows(rows).map((r) => [
    r.identity,
    String(r.n),
    fmt(r.rmseV),
    fmt(r.rmseA),
    r.cccV === undefined ? '' : fmt(r.cccV),
    r.cccA === undefined ? '' : fmt(r.cccA),
  ]);
  return `## Per-identity errors (worst first)\n\n${mdTable(['identity', 'n', 'RMSE v', 'RMSE a', 'CCC v', 'CCC a'], body, [false, true, true, true, true, true])}`;
};

const plotsSection = (plots: readonly PlotLink[]): string =>
  `## Plots\n\n${plots.map((p) => `### ${p.title}\n\n[${p.file}](${encodeURI(p.file)})\n\n![${p.title}](${encodeURI(p.file)})`).join('\n\n')}`;

export const markdownSummary = (run: RunSummary): string => {
  const sections = [`# ${run.title}`];
  if (run.notes?.length) sections.push(run.notes.map((n) => `- ${n}`).join('\n'));
  if (run.config && Object.keys(run.config).length) sections.push(configSection(run.config));
  if (run.final?.length) sections.push(finalSection(run.final));
  if (run.compare) sections.push(`## ELIM vs baseline\n\n\`\`\`text\n${formatCompareTable(run.compare)}\`\`\``);
  if (run.perIdentity?.length) sections.push(identitySection(run.perIdentity));
  if (run.plots?.length) sections.push(plotsSection(run.plots));
  return sections.join('\n\n') + '\n';
};
