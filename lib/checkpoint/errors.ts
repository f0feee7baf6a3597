/**
 * What can go wrong reading or writing a checkpoint, as values (fp-ts Either/TaskEither).
 * A mismatch error lists EVERY differing tensor, not just the first, so a user fixing a config
 * sees the whole picture at once.
 */
export interface TensorInfo {
  readonly shape: readonly number[];
  readonly dtype: string;
}

export type Mismatch =
  | { readonly _tag: 'Missing'; readonly name: string; readonly expected: TensorInfo }
  | { readonly _tag: 'Unexpected'; readonly name: string; readonly found: TensorInfo }
  | { readonly _tag: 'ShapeMismatch'; readonly name: string; readonly expected: TensorInfo; readonly found: TensorInfo }
  | { readonly _tag: 'DTypeMismatch'; readonly name: string; readonly expected: TensorInfo; readonly found: TensorInfo };

export type CheckpointError =
  | { readonly _tag: 'IoError'; readonly op: 'read' | 'write' | 'rename'; readonly path: string; readonly message: string }
  | { readonly _tag: 'FormatError'; readonly message: string }
  | { readonly _tag: 'MismatchError'; readonly mismatches: readonly Mismatch[] };

export const formatError = (message: string): CheckpointError => ({ _tag: 'FormatError', message });

const info = (t: TensorInfo) => `${t.dtype}[${t.shape.join(', ')}]`;

export const describeMismatch = (m: Mismatch): string => {
  switch (m._tag) {
    case 'Missing':
      return `missing ${m.name} (expected ${info(m.expected)})`;
    case 'Unexpected':
      return `unexpected ${m.name} (${info(m.found)})`;
    case 'ShapeMismatch':
      return `shape of ${m.name}: expected [${m.expected.shape.join(', ')}], found [${m.found.shape.join(', ')}]`;
    case 'DTypeMismatch':
      return `dtype of ${m.name}: expected ${m.expected.dtype}, found ${m.found.dtype}`;
  }
};

export const describeCheckpointError = (e: CheckpointError): string => {
  switch (e._tag) {
    case 'IoError':
      return `checkpoint ${e.op} failed for ${e.path}: ${e.message}`;
    case 'FormatError':
      return `not a valid safetensors checkpoint: ${e.message}`;
    case 'MismatchError':
      return `checkpoint does not fit the model (${e.mismatches.length} problem${e.mismatches.length === 1 ? '' : 's'}):\n  ${e.mismatches.map(describeMismatch).join('\n  ')}`;
  }
};
