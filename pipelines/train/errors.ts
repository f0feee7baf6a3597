/**
 * How a training run fails, as values that keep their cause: a stage's `ElimError` (with its tag,
 * stage and field), the data or checkpoint error that stopped it, the engine error that was
 * thrown outside a stage. Callers branch on `_tag` and on the cause's own tag; the CLI prints
 * `formatRunError`, one line naming where it happened.
 */
import { describeCheckpointError, type CheckpointError } from '../../lib/checkpoint/errors.js';
import type { EngineError } from '../../lib/errors.js';
import { formatDataError, type DataError } from '../data/data-error.js';
import { formatElimError, type ElimError } from '../errors.js';

export type TrainError =
  /** A stage of a phase's objective returned Left at 0-based iteration `step`. */
  | { readonly _tag: 'StageFailed'; readonly step: number; readonly phase: string; readonly error: ElimError }
  /** The loss came out NaN or infinite (usually a learning rate too high). */
  | { readonly _tag: 'NonFiniteLoss'; readonly step: number; readonly phase: string; readonly value: number }
  /** The engine threw outside a stage (encoder, optimiser, evaluation). */
  | { readonly _tag: 'EngineFailure'; readonly step: number; readonly error: EngineError }
  /** The batch sampler cannot serve the training set (e.g. fewer identities than a batch asks for). */
  | { readonly _tag: 'DataFailed'; readonly error: DataError }
  /** Reading (resume) or writing (save) the checkpoint failed. */
  | { readonly _tag: 'CheckpointFailed'; readonly op: 'resume' | 'save'; readonly path: string; readonly error: CheckpointError }
  /** A checkpoint that does not belong to this run (another config, seed, model), or no path to resume from. */
  | { readonly _tag: 'ResumeRefused'; readonly path?: string; readonly reason: string };

/** Where a run failed, with the cause; `message` is `formatRunError`'s line for callers that only print. */
export type RunError =
  | { readonly _tag: 'DataFailed'; readonly stage: 'data'; readonly error: DataError; readonly message: string }
  | { readonly _tag: 'TrainFailed'; readonly stage: 'train'; readonly error: TrainError; readonly message: string }
  | { readonly _tag: 'ReportFailed'; readonly stage: 'report'; readonly what: string; readonly reason: string; readonly message: string };

/** Some causes (a checkpoint mismatch list, an engine message) span lines: the CLI prints one. */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, '; ');

export const formatTrainError = (e: TrainError): string => {
  switch (e._tag) {
    case 'StageFailed':
      return oneLine(`iteration ${e.step}, phase ${e.phase}: ${formatElimError(e.error)}`);
    case 'NonFiniteLoss':
      return `iteration ${e.step}, phase ${e.phase}: loss became ${e.value}; lower the learning rate`;
    case 'EngineFailure':
      return oneLine(`iteration ${e.step}: engine ${e.error.tag}: ${e.error.message}`);
    case 'DataFailed':
      return oneLine(formatDataError(e.error));
    case 'CheckpointFailed':
      return oneLine(`${e.op === 'resume' ? `cannot resume from ${e.path}` : `cannot write ${e.path}`}: ${describeCheckpointError(e.error)}`);
    case 'ResumeRefused':
      return oneLine(e.path ? `cannot resume from ${e.path}: ${e.reason}` : `cannot resume: ${e.reason}`);
  }
};

/** A RunError before its line is rendered (Omit distributed over the union). */
type Unrendered = RunError extends infer R ? (R extends RunError ? Omit<R, 'message'> : never) : never;

const runMessage = (e: Unrendered): string => {
  switch (e._tag) {
    case 'DataFailed':
      return oneLine(formatDataError(e.error));
    case 'TrainFailed':
      return formatTrainError(e.error);
    case 'ReportFailed':
      return oneLine(`${e.what}: ${e.reason}`);
  }
};

export const dataFailed = (error: DataError): RunError => ({
  _tag: 'DataFailed',
  stage: 'data',
  error,
  message: runMessage({ _tag: 'DataFailed', stage: 'data', error }),
});
export const trainFailed = (error: TrainError): RunError => ({
  _tag: 'TrainFailed',
  stage: 'train',
  error,
  message: runMessage({ _tag: 'TrainFailed', stage: 'train', error }),
});
export const reportFailed = (what: string, reason: string): RunError => ({
  _tag: 'ReportFailed',
  stage: 'report',
  what,
  reason,
  message: runMessage({ _tag: 'ReportFailed', stage: 'report', what, reason }),
});

/** `stage: cause`, one line: what `elim train` and `elim compare` print after `error:`. */
export const formatRunError = (e: RunError): string => `${e.stage}: ${e.message}`;
