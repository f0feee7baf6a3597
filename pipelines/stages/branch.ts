/**
 * The ELIM branch as one composition of stages: group -> sample -> (transport | attention)
 * -> normalize -> project. Shared by elimStep (one-step) and elimOnlyStep (the second step of
 * the release's two-step mode). Produces the predictions the loss stage needs, or the
 * outcome saying why there are none this iteration.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as RE from 'fp-ts/lib/ReaderEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as T from '../../lib/ops/index.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { ParamTree, StateTree } from '../../lib/nn/tree.js';
import type { Env, StepStreams } from '../env.js';
import { inputMismatch, tryStage, type ElimError } from '../errors.js';
import { attention } from './attention.js';
import { group, type GroupOutcome } from './group.js';
import { normalize, type ShiftSource } from './normalize.js';
import { project, type ProjectorModel } from './project.js';
import { keptIndices, sample } from './sample.js';
import { transport, type TransportOutput } from './transport.js';
import type { ElimPredictions } from './loss.js';
import type { StepData, Validated } from './validate.js';

export interface BranchInput {
  readonly data: StepData;
  readonly checked: Validated;
  readonly projector: ProjectorModel;
  /** ELIM-Attention parameters (matching 'attention'). */
  readonly attention?: ParamTree;
  readonly streams: StepStreams;
}

/**
 * What a step says about its transport, known without a readback. The solver's per-problem
 * iterations and convergence stay on the backend with the plans (the transport stage's
 * `stats`, read with lib/ot readBatchStats where they are wanted); keeping no tensor here also
 * means a caller that keeps the step output holds no extra device buffer.
 */
export interface TransportSummary {
  /** Anchor-vs-target problems solved (targets). */
  readonly problems: number;
  readonly uniformFallbacks: number;
}

export interface BranchOutput {
  readonly outcome: GroupOutcome;
  readonly predictions?: ElimPredictions;
  readonly state: StateTree;
  readonly transport?: TransportSummary;
  /** Batch indices used: anchor's and each target's kept samples. */
  readonly used?: { readonly anchor: readonly number[]; readonly targets: ReadonlyArray<readonly number[]> };
}

const shiftFor =
  (input: BranchInput, anchor: number[], targets: number[][]): RE.ReaderEither<Env, ElimError, { shift: ShiftSource; transport?: TransportOutput }> =>
  (env) => {
    if (env.config.matching === 'attention') {
      if (!input.attention) return E.left(inputMismatch('attention', "matching 'attention' needs the attention parameters (StepModels.attention)"));
      return E.map(({ mu }: { mu: Tensor }) => ({ shift: { _tag: 'Weights', mu } as ShiftSource }))(
        attention({ z: input.data.z, anchor, targets, params: input.attention })(env),
      );
    }
    return E.map((plans: TransportOutput) => ({ shift: { _tag: 'Transport', anchor, transport: plans } as ShiftSource, transport: plans }))(
      transport({ z: input.data.z, zHost: input.checked.zHost, anchor, targets })(env),
    );
  };

const gatherRows = (x: Tensor, idx: readonly number[]) => T.gather(x, idx);

/**
 * Several anchors (config `anchors`, issue #9): the first `anchors - 1` targets join the anchor's
 * kept samples in one pooled anchor set; at least one target always remains.
 */
export const poolAnchors = (anchor: number[], targets: number[][], anchors: number): { anchor: number[]; targets: number[][] } => {
  const extra = Math.max(0, Math.min(anchors - 1, targets.length - 1));
  return { anchor: [...anchor, ...targets.slice(0, extra).flat()], targets: targets.slice(extra) };
};

export const elimBranch = (input: BranchInput): RE.ReaderEither<Env, ElimError, BranchOutput> =>
  pipe(
    group({ keys: input.data.keys, rng: input.streams.group }),
    RE.flatMap((outcome): RE.ReaderEither<Env, ElimError, BranchOutput> => {
      if (outcome._tag === 'Skipped') return RE.right({ outcome, state: input.projector.state });
      return pipe(
        sample({ anchor: outcome.anchor, targets: outcome.targets, labels: input.checked.labelsHost, rng: input.streams.sample }),
        RE.bindTo('sampled'),
        RE.bind('pooled', ({ sampled }) =>
          RE.asks((env: Env) => poolAnchors(keptIndices(sampled.anchor), sampled.targets.map(keptIndices), env.config.anchors)),
        ),
        RE.let('anchor', ({ pooled }) => pooled.anchor),
        RE.let('targets', ({ pooled }) => pooled.targets),
        RE.bind('matched', ({ anchor, targets }) => shiftFor(input, anchor, targets)),
        RE.bind('normed', ({ targets, matched }) => normalize({ z: input.data.z, targets, shift: matched.shift })),
        RE.bind('projected', ({ anchor, normed }) => projectElim(input, anchor, normed.zTilde, normed.sizes)),
        RE.bind(
          'predictions',
          ({ anchor, targets, normed, projected }) =>
            () =>
              tryStage('project', () => predictionsFrom(input, anchor, targets, normed.sizes, projected.y, projected.withAnchor)),
        ),
        RE.map(({ anchor, targets, matched, projected, predictions }) => ({
          outcome,
          state: projected.state,
          predictions,
          transport: matched.transport && { problems: matched.transport.sizes.length, uniformFallbacks: matched.transport.uniformFallbacks },
          used: { anchor, targets },
        })),
      );
    }),
  );

/** One projector pass over [z~ of every target; z of the anchor (when its term is used)]. */
const projectElim =
  (input: BranchInput, anchor: readonly number[], zTilde: Tensor, sizes: readonly number[]) =>
  (env: Env): E.Either<ElimError, { y: Tensor; state: StateTree; withAnchor: boolean }> => {
    const withAnchor = env.config.loss.includeAnchor;
    const allSizes = withAnchor ? [...sizes, anchor.length] : sizes;
    return pipe(
      tryStage('project', () => (withAnchor ? T.concat([zTilde, gatherRows(input.data.z, anchor)], 0) : zTilde)),
      E.flatMap((x) => project({ model: input.projector, x, role: 'elim', sizes: allSizes, rng: input.streams.project })(env)),
      E.map((r) => ({ ...r, withAnchor })),
    );
  };

const predictionsFrom = (
  input: BranchInput,
  anchor: readonly number[],
  targets: ReadonlyArray<readonly number[]>,
  sizes: readonly number[],
  y: Tensor,
  withAnchor: boolean,
): ElimPredictions => {
  const labels = input.data.labels;
  const m = sizes.reduce((a, b) => a + b, 0);
  const targetsY = withAnchor ? T.slice(y, [0, 0], [m, 2]) : y;
  return {
    sizes,
    targets: { y: targetsY, labels: gatherRows(labels, targets.flat()) },
    anchor: withAnchor ? { y: T.slice(y, [m, 0], [anchor.length, 2]), labels: gatherRows(labels, anchor) } : undefined,
  };
};
