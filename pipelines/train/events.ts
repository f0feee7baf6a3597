/**
 * What a training run reports as it goes: events (JSON-able records), human lines and progress.
 * The trainer only emits; where the events go (a log file, stdout, a progress bar, a page) is the
 * caller's choice: the CLI's sink is pipelines/cli/events.ts.
 */
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
