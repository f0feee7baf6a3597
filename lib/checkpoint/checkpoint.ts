/**
 * Training checkpoints: parameters, model state (BN running statistics), optimiser state,
 * RNG states and the step, in ONE safetensors file, so that a killed run resumes exactly.
 * Tensor names: `params/<name>`, `state/<name>`, `optim/<slot>/<name>`; scalars in
 * `__metadata__`: `elim.format`, `elim.step`, `elim.optim.step`, `elim.rng` (JSON of named
 * Rng states); the caller's own metadata goes under `user.<key>`.
 * Saving writes `<path>.tmp` then renames it over `<path>` (rename is atomic on POSIX), so a
 * crash leaves either the old checkpoint or the new one, never half of one.
 * File IO is injected (lib/ imports no node:* module): pass `{ readFile, writeFile, rename }`,
 * e.g. from node:fs/promises in pipelines/ (where writeFile should fsync, as pipelines/io/atomic.ts does).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Backend } from '../backend/backend.js';
import * as T from '../ops/index.js';
import type { RngState } from '../rng/rng.js';
import type { Tensor } from '../tensor/tensor.js';
import { asParameter, asState, type ParamTree, type StateTree } from '../nn/tree.js';
import type { OptimizerState } from '../optim/optimizer.js';
import { formatError, type CheckpointError } from './errors.js';
import { mismatches, type Expected } from './match.js';
import { decodeSafetensors, encodeSafetensors, type DecodedTensor, type RawTensor } from './safetensors.js';

export const CHECKPOINT_FORMAT = 'elim-ts-checkpoint/1';

export interface TrainingCheckpoint {
  readonly step: number;
  readonly params: ParamTree;
  readonly state: StateTree;
  readonly optimizer?: OptimizerState;
  /** Named RNG streams (data order, dropout, ...), each `rng.state()`. */
  readonly rng?: Readonly<Record<string, RngState>>;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What the loader checks against: the model's freshly initialised trees (or just their shapes/dtypes). */
export interface CheckpointTemplate {
  readonly params: ReadonlyMap<string, Expected>;
  readonly state: ReadonlyMap<string, Expected>;
  readonly optimizer?: ReadonlyMap<string, Expected>;
}

export const expectedOf = (tree: ReadonlyMap<string, Tensor>): Map<string, Expected> =>
  new Map([...tree].map(([n, t]) => [n, { shape: t.shape, dtype: t.dtype }]));

/** A template from live trees (shapes and dtypes only are used). */
export const templateOf = (params: ParamTree, state: StateTree, optimizer?: OptimizerState): CheckpointTemplate => ({
  params: expectedOf(params),
  state: expectedOf(state),
  optimizer: optimizer && expectedOf(optimizer.slots),
});

export interface FileIO {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const raw = (t: Tensor): RawTensor => ({ shape: t.shape, data: t.toArray() });

export const encodeCheckpoint = (c: TrainingCheckpoint): Uint8Array => {
  const tensors = new Map<string, RawTensor>();
  for (const [n, t] of c.params) tensors.set(`params/${n}`, raw(t));
  for (const [n, t] of c.state) tensors.set(`state/${n}`, raw(t));
  if (c.optimizer) for (const [n, t] of c.optimizer.slots) tensors.set(`optim/${n}`, raw(t));
  const meta: Record<string, string> = { 'elim.format': CHECKPOINT_FORMAT, 'elim.step': String(c.step) };
  if (c.optimizer) meta['elim.optim.step'] = String(c.optimizer.step);
  if (c.rng) meta['elim.rng'] = JSON.stringify(c.rng);
  for (const [k, v] of Object.entries(c.metadata ?? {})) meta[`user.${k}`] = v;
  return encodeSafetensors(tensors, meta);
};

const section = (tensors: ReadonlyMap<string, DecodedTensor>, prefix: string) =>
  new Map([...tensors].filter(([n]) => n.startsWith(prefix)).map(([n, t]) => [n.slice(prefix.length), t] as const));

const prefixed = (prefix: string, m: ReadonlyMap<string, Expected>) => new Map([...m].map(([n, e]) => [`${prefix}${n}`, e] as const));

const toTensors = (m: ReadonlyMap<string, DecodedTensor>, leaf: (t: Tensor) => Tensor, backend?: Backend) =>
  new Map([...m].map(([n, t]) => [n, leaf(T.tensor(t.data, t.shape, { backend, dtype: t.dtype === 'F64' ? 'float64' : 'float32' }))] as const));

/** Tensors holding NaN or +-Inf, each as `name: count (first at index i)`; a model built from them predicts NaN. */
const nonFiniteTensors = (tensors: ReadonlyMap<string, DecodedTensor>): string[] => {
  const out: string[] = [];
  for (const [name, t] of tensors) {
    let count = 0;
    let first = -1;
    for (let i = 0; i < t.data.length; i++)
      if (!Number.isFinite(t.data[i])) {
        if (first < 0) first = i;
        count++;
      }
    if (count) out.push(`${name}: ${count} value(s), first at index ${first}`);
  }
  return out;
};

const intField = (meta: Record<string, string>, key: string): E.Either<CheckpointError, number> => {
  const v = Number(meta[key]);
  return Number.isInteger(v) && v >= 0 ? E.right(v) : E.left(formatError(`metadata ${key} = ${JSON.stringify(meta[key])} is not a step count`));
};

/**
 * Decodes and checks a checkpoint against the template: names, shapes and dtypes of params,
 * state and (if the template has it) optimiser slots. Every mismatch is reported at once.
 * Tensors are created on `backend` (default: the current one) as long-lived leaves
 * (parameters with requiresGrad).
 */
export const decodeCheckpoint = (
  bytes: Uint8Array,
  template: CheckpointTemplate,
  o: { readonly backend?: Backend } = {},
): E.Either<CheckpointError, TrainingCheckpoint> =>
  pipe(
    decodeSafetensors(bytes),
    E.chain(({ tensors, metadata }) => {
      if (metadata['elim.format'] !== CHECKPOINT_FORMAT)
        return E.left(formatError(`metadata elim.format is ${JSON.stringify(metadata['elim.format'])}, expected ${CHECKPOINT_FORMAT}`));
      const expected = new Map([
        ...prefixed('params/', template.params),
        ...prefixed('state/', template.state),
        ...(template.optimizer ? prefixed('optim/', template.optimizer) : []),
      ]);
      const bad = mismatches(expected, tensors, { ignoreUnexpected: (n) => !template.optimizer && n.startsWith('optim/') });
      if (bad.length) return E.left<CheckpointError>({ _tag: 'MismatchError', mismatches: bad });
      const nonFinite = nonFiniteTensors(tensors);
      if (nonFinite.length) return E.left(formatError(`non-finite weights (a diverged or damaged run): ${nonFinite.join('; ')}`));
      return pipe(
        intField(metadata, 'elim.step'),
        E.chain((step) => {
          let rng: Record<string, RngState> | undefined;
          try {
            rng = metadata['elim.rng'] ? (JSON.parse(metadata['elim.rng']) as Record<string, RngState>) : undefined;
          } catch {
            return E.left(formatError('metadata elim.rng is not JSON'));
          }
          const user = Object.fromEntries(
            Object.entries(metadata)
              .filter(([k]) => k.startsWith('user.'))
              .map(([k, v]) => [k.slice(5), v]),
          );
          const optimizer: E.Either<CheckpointError, OptimizerState | undefined> = template.optimizer
            ? pipe(
                intField(metadata, 'elim.optim.step'),
                E.map((s) => ({ step: s, slots: toTensors(section(tensors, 'optim/'), asState, o.backend) })),
              )
            : E.right(undefined);
          return pipe(
            optimizer,
            E.map((opt) => ({
              step,
              params: toTensors(section(tensors, 'params/'), asParameter, o.backend),
              state: toTensors(section(tensors, 'state/'), asState, o.backend),
              optimizer: opt,
              rng,
              metadata: user,
            })),
          );
        }),
      );
    }),
  );

const io = <A>(op: 'read' | 'write' | 'rename', path: string, f: () => Promise<A>): TE.TaskEither<CheckpointError, A> =>
  TE.tryCatch(f, (err): CheckpointError => ({ _tag: 'IoError', op, path, message: err instanceof Error ? err.message : String(err) }));

/** Encodes (synchronously: the tensors are read now) and writes `<path>.tmp`, then renames it to `path`. */
export const saveCheckpoint = (fs: FileIO, path: string, c: TrainingCheckpoint): TE.TaskEither<CheckpointError, void> => {
  const bytes = encodeCheckpoint(c);
  const tmp = `${path}.tmp`;
  return pipe(
    io('write', tmp, () => fs.writeFile(tmp, bytes)),
    TE.chain(() => io('rename', path, () => fs.rename(tmp, path))),
  );
};

export const loadCheckpoint = (
  fs: FileIO,
  path: string,
  template: CheckpointTemplate,
  o: { readonly backend?: Backend } = {},
): TE.TaskEither<CheckpointError, TrainingCheckpoint> =>
  pipe(
    io('read', path, () => fs.readFile(path)),
    TE.chainEitherK((bytes) => decodeCheckpoint(bytes, template, o)),
  );
