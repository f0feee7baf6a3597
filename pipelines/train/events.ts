/**
 * What a training run reports as it goes: events (JSON-able records), human lines and progress.
 * The trainer only emits; where the events go (a log file, stdout, a progress bar, a page) is the
 * caller's choice: the CLI's sink is pipelines/cli/events.ts.
 */
import type { Logger } from '../env.js';

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

/**
 * The stages' logger for a run (the Env's `logger`): every warning becomes a `stage-warning` event
 * in the run's log, and the first of each kind is also shown as a warning line (a fallback that
 * happens every iteration would otherwise bury the progress bar); info goes to `info`. Debug
 * records (one per step) are dropped: the step event already carries the step's outcome.
 */
export const stageLogger = (events: EventSink): Logger => {
  const shown = new Set<string>();
  return {
    log: (level, message, fields) => {
      if (level === 'debug') return;
      if (level === 'info') return events.info(message);
      events.emit({ event: 'stage-warning', message, ...fields });
      if (shown.has(message)) return;
      shown.add(message);
      events.warn(`${message}${fields ? ` ${JSON.stringify(fields)}` : ''} (further ones only in the event log)`);
    },
  };
};
