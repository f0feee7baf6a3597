/** `elim train`: one training run into a run folder (see pipelines/train/run.ts for its files). */
import * as E from 'fp-ts/lib/Either.js';
import * as path from 'node:path';
import type { CommandSpec } from '../args.js';
import { failure, parseCommand, usageError } from '../command.js';
import { installBackend } from '../backend-choice.js';
import { dataSpecFrom } from '../data-options.js';
import { createEventSink } from '../events.js';
import { clipNormOf, runSpecFrom, TRAIN_OPTIONS } from '../train-options.js';
import { executeRun } from '../../train/run.js';
import { formatRunError } from '../../train/errors.js';
import { fmtMetrics } from '../format.js';
import { stoppedExitCode, withStopControl, type StopControl } from '../stop-control.js';
import { acquireRunLock } from '../../io/run-lock.js';

export const spec: CommandSpec = {
  name: 'train',
  summary: 'train ELIM or the baseline on synthetic faces or a dataset',
  usage: 'elim train [--method elim|baseline] [--data synthetic|generic-csv|afew-va|affectnet|aff-wild2 --data-path P] [--out DIR] [options]',
  options: TRAIN_OPTIONS,
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const rs = runSpecFrom(parsed.options);
  if (E.isLeft(rs)) return usageError(`elim train: ${rs.left.message}`);
  const data = dataSpecFrom(parsed.options, rs.right.settings.model.inputSize, rs.right.settings.seed);
  if (E.isLeft(data)) return usageError(`elim train: ${data.left.message}`);
  // one run per folder: taken before anything (the event log included) is written there
  const lock = acquireRunLock(rs.right.out);
  if (E.isLeft(lock)) return usageError(`elim train: ${lock.left}`);
  try {
    // Ctrl-C, SIGTERM, SIGHUP, or an event log that cannot be written: finish the iteration,
    // checkpoint, report; a second signal exits at once.
    const control: StopControl = { stop: false };
    let logFailure: string | undefined;
    const events = createEventSink({
      logFile: path.join(rs.right.out, 'events.jsonl'),
      onLogFailure: (m) => {
        logFailure ??= m;
        control.stop = true;
      },
    });
    let backend;
    try {
      backend = await installBackend(rs.right.backend, events);
    } catch (err) {
      return failure((err as Error).message);
    }
    return await withStopControl(async (c) => {
      const r = await executeRun({
        spec: rs.right,
        data: data.right,
        backend,
        events,
        control: c,
        clipNorm: clipNormOf(parsed.options),
        resolved: parsed.options,
        label: 'train',
      });
      if (E.isLeft(r)) return failure(formatRunError(r.left));
      process.stderr.write(
        `\n${r.right.result.stopped ? 'stopped' : 'finished'} after ${r.right.result.step} iterations (${r.right.result.seconds.toFixed(1)} s, ${r.right.result.imagesPerSecond.toFixed(1)} img/s)\n` +
          `training identities: ${fmtMetrics(r.right.train.overall)}\n` +
          `held-out identities: ${fmtMetrics(r.right.heldOut.overall)}\n` +
          `run folder: ${r.right.dir}\n`,
      );
      if (logFailure) return failure(`${logFailure}; stopped at iteration ${r.right.result.step} with a checkpoint (resume with --resume once there is room)`);
      return r.right.result.stopped ? stoppedExitCode(c) : 0;
    }, control);
  } finally {
    lock.right.release();
  }
};
