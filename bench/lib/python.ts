/**
 * Runs a Python anchor script (e.g. PyTorch) and parses its JSON answer. The script prints one
 * JSON object as its last stdout line; `{"skipped": "<why and how to install>"}` means the
 * anchor is unavailable, which is reported, not thrown. Python is /usr/bin/python3 by default
 * (the Debian python3-torch lives there; another python3 earlier on PATH may not see it),
 * overridable with env ELIM_PYTHON.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export type AnchorResult<T> = { readonly ok: true; readonly value: T; readonly stderr: string } | { readonly ok: false; readonly reason: string };

export const defaultPython = (): string => process.env.ELIM_PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

export interface PythonOptions {
  readonly python?: string;
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `python script args...`; the last stdout line that parses as a JSON object is the answer. */
export const runPythonAnchor = <T = unknown>(script: string, args: readonly string[] = [], opts: PythonOptions = {}): AnchorResult<T> => {
  const python = opts.python ?? defaultPython();
  const r = spawnSync(python, [script, ...args], {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) return { ok: false, reason: `${python} ${script}: ${r.error.message}` };
  const lines = (r.stdout ?? '').trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.trim().startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line) as { skipped?: string };
      if (typeof parsed.skipped === 'string') return { ok: false, reason: parsed.skipped };
      return { ok: true, value: parsed as T, stderr: r.stderr ?? '' };
    } catch {
      // not the JSON line
    }
  }
  const tail = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  return { ok: false, reason: `${python} ${script} exited ${r.status ?? r.signal} without a JSON answer${tail ? `: ${tail}` : ''}` };
};
