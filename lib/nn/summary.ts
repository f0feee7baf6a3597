/** A printable parameter table computed from shapes alone (nothing allocated: fine for Mixer-B/16). */
import { sizeOf } from '../tensor/shape.js';
import type { Module } from './module.js';

export interface SummaryRow {
  readonly group: string;
  readonly tensors: number;
  readonly params: number;
}

/** Parameters grouped by the first `depth` name segments. */
export const summaryRows = (m: Module, depth = 1): SummaryRow[] => {
  const rows = new Map<string, { tensors: number; params: number }>();
  for (const s of m.params) {
    const g = s.name.split('.').slice(0, depth).join('.');
    const r = rows.get(g) ?? { tensors: 0, params: 0 };
    rows.set(g, { tensors: r.tensors + 1, params: r.params + sizeOf(s.shape) });
  }
  return [...rows].map(([group, r]) => ({ group, ...r }));
};

export const summary = (m: Module, depth = 1): string => {
  const rows = summaryRows(m, depth);
  const total = rows.reduce((n, r) => n + r.params, 0);
  const state = m.state.reduce((n, s) => n + sizeOf(s.shape), 0);
  const w = Math.max(5, ...rows.map((r) => r.group.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(w)}  ${b.padStart(8)}  ${c.padStart(12)}`;
  return [
    `${m.kind}`,
    line('group', 'tensors', 'parameters'),
    ...rows.map((r) => line(r.group, String(r.tensors), r.params.toLocaleString('en-US'))),
    line('total', String(m.params.length), total.toLocaleString('en-US')),
    `state (running statistics): ${state.toLocaleString('en-US')} values`,
  ].join('\n');
};
