/**
 * Test-time identity matching (issue #15): ELIM's idea used where it can act on a held-out
 * person. Given all the (unlabelled) frames of one new identity, its latents are matched to an
 * anchor set of training latents with the transport stage (the run's own OT config), and the
 * identity's displacement onto the anchor, mu = sum_ij X_ij (z_j - z_i^a) / sum_ij X_ij (the
 * normalize stage's `identity-vector` shift), is subtracted from each of its latents before the
 * projector predicts. One displacement per identity: the within-identity variation (the
 * expression) is kept, the identity's offset in latent space is removed.
 *
 * The anchor is a fixed set of training latents (`anchorLatents`: a few evenly spaced frames of
 * every training identity), saved with a run so `elim predict --per-identity` can match too.
 */
import * as E from 'fp-ts/lib/Either.js';
import { noGrad } from '../../lib/autograd/tape.js';
import { currentBackend } from '../../lib/backend/current.js';
import * as T from '../../lib/ops/index.js';
import { subtree } from '../../lib/nn/tree.js';
import { scope } from '../../lib/tensor/scope.js';
import type { Backend } from '../../lib/backend/backend.js';
import type { TransportConfig } from '../config.js';
import type { ElimError } from '../errors.js';
import { vectorShift } from '../stages/normalize.js';
import { solveTransport } from '../stages/transport.js';
import type { TrainedModel } from './model.js';

export interface AnchorLatents {
  readonly dim: number;
  readonly rows: number;
  /** rows x dim, row-major. */
  readonly data: Float32Array;
}

/** Rows of each identity, in first-seen order of identities. */
export const groupByIdentity = (identities: readonly string[]): Map<string, number[]> => {
  const g = new Map<string, number[]>();
  identities.forEach((id, i) => g.set(id, [...(g.get(id) ?? []), i]));
  return g;
};

/** `perIdentity` evenly spaced rows of every identity (all rows of a smaller one). */
export const anchorLatents = (latents: Float32Array, identities: readonly string[], dim: number, perIdentity = 8): AnchorLatents => {
  const picked: number[] = [];
  for (const rows of groupByIdentity(identities).values()) {
    const k = Math.min(perIdentity, rows.length);
    for (let q = 0; q < k; q++) picked.push(rows[Math.floor((q * rows.length) / k)]);
  }
  const data = new Float32Array(picked.length * dim);
  picked.forEach((r, i) => data.set(latents.subarray(r * dim, (r + 1) * dim), i * dim));
  return { dim, rows: picked.length, data };
};

/**
 * Latents with each identity's displacement onto the anchor removed (alpha = strength), in the
 * input's row order. Identities are matched jointly (one batched transport problem each).
 */
export const matchToAnchor = (
  latents: Float32Array,
  identities: readonly string[],
  anchor: AnchorLatents,
  transport: TransportConfig,
  strength = 1,
): E.Either<ElimError, Float32Array> => {
  const d = anchor.dim;
  const groups = [...groupByIdentity(identities).values()];
  // one host matrix: the anchor's rows first, then the targets' (offset by anchor.rows)
  const zHost = new Float64Array((anchor.rows + latents.length / d) * d);
  zHost.set(anchor.data, 0);
  zHost.set(latents, anchor.rows * d);
  const anchorIdx = Array.from({ length: anchor.rows }, (_, i) => i);
  const targets = groups.map((rows) => rows.map((r) => anchor.rows + r));
  const shifted = new Float32Array(latents.length);
  // the transport stage's output holds tensors: solve and shift inside one scope
  const r = noGrad(() =>
    scope(() => {
      // float64 where the backend computes in it (the CPU backend); a GPU backend has float32 only
      const dtype = currentBackend().dtypes.includes('float64') ? 'float64' : 'float32';
      const z = T.tensor(zHost, [zHost.length / d, d], { dtype });
      const solved = solveTransport({ z, zHost, anchor: anchorIdx, targets }, transport);
      if (E.isLeft(solved)) return solved;
      const mu = vectorShift(z, anchorIdx, targets, solved.right, 'identity-vector', strength).toArray();
      let row = 0;
      groups.forEach((rows) =>
        rows.forEach((r) => {
          for (let k = 0; k < d; k++) shifted[r * d + k] = latents[r * d + k] - mu[row * d + k];
          row++;
        }),
      );
      return E.right(undefined);
    }),
  );
  if (E.isLeft(r)) return r;
  return E.right(shifted);
};

/** The projector (evaluation mode) on given latents, clamped to [-1, 1]: [n x 2]. */
export const projectLatents = ({ model, params, state }: TrainedModel, latents: Float32Array, backend: Backend): Float32Array =>
  noGrad(() =>
    scope(() => {
      const d = model.spec.latent;
      const z = T.tensor(latents, [latents.length / d, d], { backend });
      const y = T.clamp(model.projector.apply(subtree(params, 'projector'), subtree(state, 'projector'), z, { training: false }).y, -1, 1);
      return Float32Array.from(y.toArray());
    }),
  );

/** Predictions after test-time identity matching. */
export const matchedPredictions = (
  m: TrainedModel,
  latents: Float32Array,
  identities: readonly string[],
  anchor: AnchorLatents,
  transport: TransportConfig,
  backend: Backend,
): E.Either<ElimError, Float32Array> => E.map((z: Float32Array) => projectLatents(m, z, backend))(matchToAnchor(latents, identities, anchor, transport));
