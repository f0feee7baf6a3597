/**
 * Run events: JSON lines to the run's log file always, and to stdout when stdout is not a
 * terminal (so a pipe or a CI log gets machine-readable progress); on a terminal a one-line
 * progress bar instead (step, epoch, ETA, images/s, each loss term).
 *
 * The log never breaks the run it records: a failed write (ENOSPC, EIO, a quota) is cut back to
 * the last whole line, the log is closed, and `onLogFailure` is told once (the train command
 * then stops after the iteration with a checkpoint) — emitting never throws.
 */
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';

import type { EventSink, ProgressState, RunEvent } from '../train/events.js';

export type { EventSink, ProgressState, RunEvent };

const fmtDuration = (s: number) => {
  if (!Number.isFinite(s)) return '--:--';
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(r).padStart(2, '0')}`;
};

export const progressLine = (p: ProgressState, width = 24): string => {
  const frac = p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  const filled = Math.round(frac * width);
  const eta = p.step > 0 ? (p.elapsedSeconds / p.step) * (p.totalSteps - p.step) : Infinity;
  const losses = Object.entries(p.losses ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(' ');
  return (
    `${p.label ? `${p.label} ` : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.step}/${p.totalSteps}` +
    `${p.epoch !== undefined ? ` ep ${p.epoch}` : ''} ETA ${fmtDuration(eta)}` +
    `${p.imagesPerSecond !== undefined ? ` ${p.imagesPerSecond.toFixed(1)} img/s` : ''}${losses ? ` | ${losses}` : ''}`
  );
};

export interface SinkOptions {
  readonly logFile?: string;
  /** Defaults to process.stdout.isTTY. */
  readonly tty?: boolean;
  /** Silence stdout entirely (tests, nested runs). */
  readonly quiet?: boolean;
  /** Called once when the log file cannot be written any more (the sink then only prints). */
  readonly onLogFailure?: (message: string) => void;
}

/** An append-only line log that cuts a torn line back off and reports its first failure. */
const lineLog = (file: string, onFailure: (message: string) => void) => {
  let fd: number | undefined;
  let good = 0;
  let state: 'unopened' | 'open' | 'failed' = 'unopened';
  return (line: string) => {
    if (state === 'unopened') {
      // opened at the first line, so the file exists only once it holds one
      try {
        fd = openSync(file, 'a');
        good = fstatSync(fd).size;
        state = 'open';
      } catch (err) {
        state = 'failed';
        onFailure(`cannot open the event log ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    if (fd === undefined) return;
    const bytes = Buffer.from(line + '\n', 'utf8');
    try {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      good += bytes.length;
    } catch (err) {
      try {
        ftruncateSync(fd, good); // no torn last line
      } catch {
        // a device (or a file system that refuses) keeps what it has
      }
      try {
        closeSync(fd);
      } catch {
        // already unusable
      }
      fd = undefined;
      onFailure(`cannot write the event log ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  };
};

export const createEventSink = (o: SinkOptions = {}): EventSink => {
  const tty = o.tty ?? Boolean(process.stdout.isTTY);
  if (o.logFile) mkdirSync(path.dirname(o.logFile), { recursive: true });
  let lastBar = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[2K');
    barShown = false;
  };
  const failed = (message: string) => {
    clearBar();
    process.stderr.write(`warning: ${message}\n`);
    o.onLogFailure?.(message);
  };
  const log = o.logFile ? lineLog(o.logFile, failed) : undefined;
  const write = (e: RunEvent) => {
    const line = JSON.stringify({ time: new Date().toISOString(), ...e });
    log?.(line);
    if (!tty && !o.quiet) process.stdout.write(line + '\n');
  };
  return {
    emit: write,
    info(message) {
      if (tty && !o.quiet) {
        clearBar();
        process.stderr.write(message + '\n');
      }
      log?.(JSON.stringify({ time: new Date().toISOString(), event: 'info', message }));
      if (!tty && !o.quiet) process.stdout.write(JSON.stringify({ event: 'info', message }) + '\n');
    },
    warn(message) {
      if (!o.quiet) {
        clearBar();
        process.stderr.write(`warning: ${message}\n`);
      }
      log?.(JSON.stringify({ time: new Date().toISOString(), event: 'warning', message }));
    },
    progress(p) {
      if (tty && !o.quiet) {
        const now = Date.now();
        if (now - lastBar > 100 || p.step === p.totalSteps) {
          lastBar = now;
          process.stderr.write('\r\x1b[2K' + progressLine(p).slice(0, (process.stderr.columns ?? 160) - 1));
          barShown = true;
        }
      }
    },
    close() {
      clearBar();
    },
  };
};
