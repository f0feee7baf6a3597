/**
 * Whether a checkpoint may be resumed by this run: its step lies within the run (a damaged or
 * foreign step would replay the batch order for ever, or report a run that never happened), and
 * it was written by the same seed, method and configuration — resuming someone else's weights
 * under this run's config.json would be a silent wrong answer. Each refusal names the field.
 *
 * Settings that do not change what is computed (how often to log, validate or checkpoint, and
 * the total `steps`, which may be raised to train longer) may differ.
 */
import * as E from 'fp-ts/lib/Either.js';
import { open } from 'node:fs/promises';
import { decodeSafetensorsMetadata, headerLength } from '../../lib/checkpoint/safetensors.js';
import { describeCheckpointError } from '../../lib/checkpoint/errors.js';

/** The fields of `settings` a resumed run may change. */
const FREE = new Set(['settings.steps', 'settings.validateEvery', 'settings.checkpointEvery', 'settings.logEvery']);

/** The first leaf where `a` and `b` differ, as a dotted path, with both values; undefined when equal. */
const firstDifference = (a: unknown, b: unknown, at = ''): { path: string; was: unknown; now: unknown } | undefined => {
  if (FREE.has(at)) return undefined;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], at ? `${at}.${k}` : k);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : { path: at || '(whole config)', was: a, now: b };
};

export interface ResumeExpectation {
  /** The run's total iterations. */
  readonly steps: number;
  /** What the run writes into its checkpoints' user metadata: `seed` and `config` (JSON) are compared. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Why the checkpoint (its step and its `user.*` metadata, prefix removed) cannot be resumed by
 * this run; undefined when it can.
 */
export const resumeProblem = (step: number, user: Readonly<Record<string, string>>, want: ResumeExpectation): string | undefined => {
  if (!Number.isSafeInteger(step) || step < 0) return `its step ${step} is not an iteration count`;
  if (step > want.steps) return `it is at step ${step}, beyond this run's --steps ${want.steps} (raise --steps to continue it)`;
  if (want.metadata.seed !== undefined && user.seed !== want.metadata.seed)
    return `it was written with --seed ${user.seed ?? '(none)'}, this run has --seed ${want.metadata.seed}`;
  if (want.metadata.config !== undefined) {
    let was: unknown;
    try {
      was = JSON.parse(user.config ?? 'null');
    } catch {
      return 'its config metadata is not JSON';
    }
    if (was === null || typeof was !== 'object') return 'it records no config (not written by elim train)';
    const now = JSON.parse(want.metadata.config) as Record<string, unknown>;
    // the method first: it explains every ELIM field that differs with it
    const method = firstDifference((was as Record<string, unknown>).method, now.method, 'method');
    const d = method ?? firstDifference(was, now);
    if (d) return `it was written with ${d.path} = ${JSON.stringify(d.was)}, this run has ${JSON.stringify(d.now)}`;
  }
  return undefined;
};

/** The checkpoint's step and user metadata from its header alone (nothing else is read or built). */
export const readCheckpointHeader = async (file: string): Promise<E.Either<string, { step: number; user: Record<string, string> }>> => {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    return E.left(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    const { size } = await fh.stat();
    const first = Buffer.alloc(8);
    await fh.read(first, 0, 8, 0);
    const n = headerLength(first);
    if (n < 0 || n > size - 8) return E.left(`${file}: not a safetensors file (header length ${n}, file ${size} bytes)`);
    const prefix = Buffer.alloc(8 + n);
    await fh.read(prefix, 0, 8 + n, 0);
    const meta = decodeSafetensorsMetadata(prefix, size);
    if (E.isLeft(meta)) return E.left(`${file}: ${describeCheckpointError(meta.left)}`);
    const step = Number(meta.right['elim.step']);
    const user = Object.fromEntries(
      Object.entries(meta.right)
        .filter(([k]) => k.startsWith('user.'))
        .map(([k, v]) => [k.slice(5), v]),
    );
    return E.right({ step, user });
  } finally {
    await fh.close();
  }
};
