/**
 * Stopping long commands cleanly: the first SIGINT (Ctrl-C), SIGTERM (kill, systemd, docker, CI
 * timeouts) or SIGHUP (a closed terminal) asks the work to stop after its current iteration (it
 * then writes a checkpoint); a second one exits at once. The exit code of a stopped run is the
 * shell's 128 + the signal's number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
 */
export interface StopControl {
  stop: boolean;
  /** The signal that asked for the stop, if one did (an event-log failure stops without one). */
  signal?: StopSignal;
}

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const NUMBER: Record<StopSignal, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** The exit code for a run stopped by `control` (130 when no signal was involved). */
export const stoppedExitCode = (control: StopControl): number => 128 + NUMBER[control.signal ?? 'SIGINT'];

/** Installs the handlers on `control`; returns the function that removes them. */
export const installStopSignals = (control: StopControl): (() => void) => {
  const handlers = STOP_SIGNALS.map((sig) => {
    const h = () => {
      if (control.stop) process.exit(128 + NUMBER[sig]);
      control.signal = sig;
      control.stop = true;
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return () => {
    for (const [sig, h] of handlers) process.off(sig, h);
  };
};

export const withStopControl = async <A>(work: (control: StopControl) => Promise<A>, control: StopControl = { stop: false }): Promise<A> => {
  const uninstall = installStopSignals(control);
  try {
    return await work(control);
  } finally {
    uninstall();
  }
};
