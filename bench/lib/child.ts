/**
 * Runs one benchmark configuration in its own child process, so that the peak memory (max RSS)
 * read there is that configuration's alone. The child prints one JSON object as its last
 * stdout line (as the Python anchors do). For Node children `nodeMaxRssImport` preloads a
 * module that adds the process's peak RSS at exit, for scripts that do not report it themselves.
 */
import { spawnSync } from 'node:child_process';

export type ChildResult<T> =
  { readonly ok: true; readonly value: T; readonly stdout: string } | { readonly ok: false; readonly reason: string; readonly stdout: string };

export interface ChildOptions {
  readonly timeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/** The last stdout line that parses as a JSON object, or null. */
export const lastJsonLine = (stdout: string): Record<string, unknown> | null => {
  for (const line of stdout.trim().split('\n').reverse()) {
    const s = line.trim();
    if (!s.startsWith('{')) continue;
    try {
      const v = JSON.parse(s) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // not the JSON line
    }
  }
  return null;
};

/** Runs `command args...`; the answer is its last JSON line (`{"skipped": why}` is a reported skip). */
export const runJsonChild = <T>(command: string, args: readonly string[], opts: ChildOptions = {}): ChildResult<T> => {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 600_000,
    env: { ...process.env, ...opts.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  const stdout = r.stdout ?? '';
  if (r.error) return { ok: false, reason: `${r.error.message}`, stdout };
  const v = lastJsonLine(stdout);
  if (v && typeof v.skipped === 'string') return { ok: false, reason: v.skipped, stdout };
  if (v && r.status === 0) return { ok: true, value: v as T, stdout };
  const tail = (r.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
  return { ok: false, reason: `exited ${r.status ?? r.signal}${v ? '' : ' without a JSON answer'}${tail ? `: ${tail}` : ''}`, stdout };
};

/**
 * A `--import` argument for node that prints `{"maxRssKiB": n}` as the process's last stdout
 * line at exit (worker threads are part of the process, so their memory counts).
 */
export const nodeMaxRssImport = (): string[] => [
  '--import',
  `data:text/javascript,process.on('exit',()=>process.stdout.write(JSON.stringify({maxRssKiB:process.resourceUsage().maxRSS})+'\\n'))`,
];

/** Every JSON-object line of `stdout`, in order (scripts that print one line per measurement). */
export const jsonLines = (stdout: string): Array<Record<string, unknown>> =>
  stdout.split('\n').flatMap((line) => {
    const s = line.trim();
    if (!s.startsWith('{')) return [];
    try {
      const v = JSON.parse(s) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
