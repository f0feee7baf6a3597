/**
 * What the page has done, on `window.__playground`, for the browser test (and for anyone in the
 * devtools console): each chart's last data, the runs' metrics, the transport and prediction
 * results, and any error. Plain JSON-able values only.
 */
export interface Probe {
  phase: 'idle' | 'training' | 'done' | 'stopped' | 'error';
  error?: string;
  backend?: { name: string; kernelClass: string; crossOriginIsolated: boolean; threads?: number };
  runs: Record<string, unknown>;
  charts: Record<string, Array<{ name: string; points: Array<[number, number]> }>>;
  benchmark?: Record<string, unknown>;
  transport?: Record<string, unknown>;
  predict?: Record<string, unknown>;
  log: string[];
}

export const probe: Probe = { phase: 'idle', runs: {}, charts: {}, log: [] };
(globalThis as unknown as { __playground: Probe }).__playground = probe;
