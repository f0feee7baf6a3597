/**
 * Run events: JSON lines to the run's log file always, and to stdout when stdout is not a
 * terminal (so a pipe or a CI log gets machine-readable progress); on a terminal a one-line
 * progress bar instead (step, epoch, ETA, images/s, each loss term).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';

export interface RunEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

export interface EventSink {
  emit(e: RunEvent): void;
  /** Human-readable line (warnings, summaries): stderr on a TTY run, an event otherwise. */
  info(message: string): void;
  warn(message: string): void;
  progress(p: ProgressState): void;
  close(): void;
}

export interface ProgressState {
  readonly step: number;
  readonly totalSteps: number;
  readonly epoch?: number;
  readonly imagesPerSecond?: number;
  readonly elapsedSeconds: number;
  readonly losses?: Readonly<Record<string, number>>;
  readonly label?: string;
}

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
  return `${p.label ? `${p.label} ` : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.step}/${p.totalSteps}` +
    `${p.epoch !== undefined ? ` ep ${p.epoch}` : ''} ETA ${fmtDuration(eta)}` +
    `${p.imagesPerSecond !== undefined ? ` ${p.imagesPerSecond.toFixed(1)} img/s` : ''}${losses ? ` | ${losses}` : ''}`;
};

export interface SinkOptions {
  readonly logFile?: string;
  /** Defaults to process.stdout.isTTY. */
  readonly tty?: boolean;
  /** Silence stdout entirely (tests, nested runs). */
  readonly quiet?: boolean;
}

export const createEventSink = (o: SinkOptions = {}): EventSink => {
  const tty = o.tty ?? Boolean(process.stdout.isTTY);
  if (o.logFile) mkdirSync(path.dirname(o.logFile), { recursive: true });
  let lastBar = 0;
  let barShown = false;
  const write = (e: RunEvent) => {
    const line = JSON.stringify({ time: new Date().toISOString(), ...e });
    if (o.logFile) appendFileSync(o.logFile, line + '\n');
    if (!tty && !o.quiet) process.stdout.write(line + '\n');
  };
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[2K');
    barShown = false;
  };
  return {
    emit: write,
    info(message) {
      if (tty && !o.quiet) {
        clearBar();
        process.stderr.write(message + '\n');
      }
      if (o.logFile) appendFileSync(o.logFile, JSON.stringify({ time: new Date().toISOString(), event: 'info', message }) + '\n');
      if (!tty && !o.quiet) process.stdout.write(JSON.stringify({ event: 'info', message }) + '\n');
    },
    warn(message) {
      if (!o.quiet) {
        clearBar();
        process.stderr.write(`warning: ${message}\n`);
      }
      if (o.logFile) appendFileSync(o.logFile, JSON.stringify({ time: new Date().toISOString(), event: 'warning', message }) + '\n');
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
