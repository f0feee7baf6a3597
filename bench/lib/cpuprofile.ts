/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums self time per function (name, file, line),
 * for "which kernels dominate" summaries. Self time of a node = its sample count x the mean
 * sampling interval of the profile.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface SelfTime {
  readonly name: string;
  /** file:line (1-based), path shortened to the part after the last `dist/` or `node_modules/`. */
  readonly where: string;
  readonly ms: number;
  /** Share of all samples, 0..1. */
  readonly share: number;
}

const shorten = (url: string): string => {
  const u = url.replace(/^file:\/\//, '');
  const i = Math.max(u.lastIndexOf('/dist/'), u.lastIndexOf('/node_modules/'));
  return i >= 0 ? u.slice(u.indexOf('/', i + 1) + 1) : u;
};

/** Self time per function, largest first. */
export const selfTimes = (p: CpuProfile): SelfTime[] => {
  const byId = new Map(p.nodes.map((n) => [n.id, n] as const));
  const counts = new Map<string, { name: string; where: string; n: number }>();
  for (const id of p.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shorten(url)}:${lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const c = counts.get(key) ?? { name, where, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const total = p.samples.length || 1;
  const msPerSample = (p.endTime - p.startTime) / 1000 / total;
  return [...counts.values()].sort((a, b) => b.n - a.n).map((c) => ({ name: c.name, where: c.where, ms: c.n * msPerSample, share: c.n / total }));
};

export const readCpuProfile = (path: string): CpuProfile => JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
