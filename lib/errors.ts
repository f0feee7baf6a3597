/**
 * The engine's typed errors. Inside the numerical core an impossible request (a shape mismatch,
 * a float64 tensor on a float32-only backend) is thrown as an `EngineError` so that model code
 * stays readable; every stage boundary converts it into a value with `tryEngine` (an `Either`).
 * Nothing else is thrown on purpose.
 */
import * as E from 'fp-ts/lib/Either.js';

export type EngineErrorTag =
  | 'ShapeError' // shapes that cannot meet (names the op and both shapes)
  | 'DTypeError' // dtypes that cannot meet, or a dtype the backend lacks
  | 'BackendError' // a backend asked for by name is unavailable, or mixed backends in one op
  | 'NumericError' // NaN/Inf where a finite value is required, non-positive regularisation, ...
  | 'ArgumentError' // any other invalid argument (axis out of range, bad stride, ...)
  | 'DisposedError'; // a released tensor used again

export class EngineError extends Error {
  constructor(
    readonly tag: EngineErrorTag,
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = tag;
  }
}

export const shapeError = (op: string, message: string, ...shapes: ReadonlyArray<readonly number[]>) =>
  new EngineError('ShapeError', op, shapes.length ? `${message} (shapes ${shapes.map(fmtShape).join(' and ')})` : message);

export const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Runs engine code and turns a thrown EngineError into a Left; anything else is a bug and propagates. */
export const tryEngine = <A>(f: () => A): E.Either<EngineError, A> => {
  try {
    return E.right(f());
  } catch (err) {
    if (err instanceof EngineError) return E.left(err);
    throw err;
  }
};
