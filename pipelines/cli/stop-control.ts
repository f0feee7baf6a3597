/**
 * Ctrl-C for long commands: the first SIGINT asks the work to stop after its current iteration
 * (it then writes a checkpoint); a second one exits at once.
 */
export interface StopControl {
  stop: boolean;
}

export const withStopControl = async <A>(work: (control: StopControl) => Promise<A>): Promise<A> => {
  const control: StopControl = { stop: false };
  const onSigint = () => {
    if (control.stop) process.exit(130);
    control.stop = true;
  };
  process.on('SIGINT', onSigint);
  try {
    return await work(control);
  } finally {
    process.off('SIGINT', onSigint);
  }
};
