/**
 * The one place that knows the limits of a run, checked before anything is allocated: the model
 * spec (input size per backbone, width, latent), the run's shape (attention heads vs latent,
 * domains vs identities per batch, k vs images per identity), the synthetic draw (held-out vs
 * identities), seeds, step and thread caps, Sinkhorn iteration caps, and the image budget the
 * decoder enforces from a file's header (pixels, bytes, face-box size).
 *
 * Every check returns a `SpecProblem` naming the field (a CLI option name where there is one),
 * so the user sees one line that says what to change. Checkpoint metadata goes through the same
 * `checkModelSpec` as the command line: a checkpoint cannot build a model the CLI would refuse.
 */
import * as E from 'fp-ts/lib/Either.js';
import { hardwareThreads } from '../kernels/cpu/threads/host.js';
import type { ElimConfig } from './config.js';
import type { BackboneName, ModelSpec } from './train/model.js';

export const LIMITS = {
  /** Seeds are 32-bit (lib/rng folds anything wider): a wider seed would silently equal a narrow one. */
  seed: { min: 0, max: 2 ** 32 - 1 },
  /** Training iterations: resuming replays the batch order up to the checkpoint's step. */
  steps: { max: 100_000_000 },
  inputSize: { min: 8, max: 1024 },
  /** Backbone channel multiplier (1 = the paper's widths). */
  width: { min: 0.01, max: 4 },
  hidden: { max: 16_384 },
  latent: { max: 4096 },
  /** `elim ot`: the solver keeps a per-iteration error trace. */
  otIterations: { max: 1_000_000 },
  /** An image whose header claims more pixels than this is refused before decoding (64 MP, 256 MB as RGBA). */
  imagePixels: 64 * 1024 * 1024,
  /** An image file larger than this is refused before reading. */
  imageBytes: 512 * 1024 * 1024,
  /** A face box whose side exceeds this many times the image's larger side is refused (resampling cost grows with its area). */
  boxFactor: 4,
} as const;

/** Worker threads worth having: more than the cores only adds memory. */
export const maxThreads = (): number => Math.max(2, hardwareThreads());

export const BACKBONES: readonly BackboneName[] = ['al64', 'alexnet', 'resnet18', 'mixer'];

export interface SpecProblem {
  readonly field: string;
  readonly message: string;
}

export const formatProblem = (p: SpecProblem): string => `${p.field}: ${p.message}`;

const problem = (field: string, message: string) => E.left<SpecProblem, never>({ field, message });

const intIn = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isInteger(x) && x >= lo && x <= hi;
const numIn = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isFinite(x) && x >= lo && x <= hi;

/** Input sizes each backbone can take: what its strides and pooling leave at least one pixel of. */
const inputSizeProblem = (backbone: BackboneName, size: number, patch: number): string | undefined => {
  switch (backbone) {
    case 'al64':
      return size % 8 === 0 ? undefined : `al64 needs a multiple of 8, got ${size}`;
    case 'alexnet':
      return size >= 63 ? undefined : `alexnet needs at least 63 px (its stride-4 convolution and three poolings), got ${size}`;
    case 'mixer':
      return size % patch === 0 ? undefined : `mixer needs a multiple of its patch (${patch}), got ${size}`;
    case 'resnet18':
      return undefined;
  }
};

/**
 * A model spec from the command line or from a checkpoint's metadata (parsed JSON, so `unknown`):
 * every field typed and within its limits, and the input size one the backbone can take.
 */
export const checkModelSpec = (raw: unknown): E.Either<SpecProblem, ModelSpec> => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return problem('model', 'not an object');
  const s = raw as Record<string, unknown>;
  if (typeof s.backbone !== 'string' || !BACKBONES.includes(s.backbone as BackboneName))
    return problem('backbone', `must be one of ${BACKBONES.join(', ')}; got ${JSON.stringify(s.backbone)}`);
  const backbone = s.backbone as BackboneName;
  if (!intIn(s.inputSize, LIMITS.inputSize.min, LIMITS.inputSize.max))
    return problem('input-size', `must be an integer from ${LIMITS.inputSize.min} to ${LIMITS.inputSize.max}; got ${JSON.stringify(s.inputSize)}`);
  if (!numIn(s.width, LIMITS.width.min, LIMITS.width.max))
    return problem('width', `must be a number from ${LIMITS.width.min} to ${LIMITS.width.max}; got ${JSON.stringify(s.width)}`);
  if (!intIn(s.hidden, 1, LIMITS.hidden.max)) return problem('hidden', `must be an integer from 1 to ${LIMITS.hidden.max}; got ${JSON.stringify(s.hidden)}`);
  if (!intIn(s.latent, 2, LIMITS.latent.max)) return problem('latent', `must be an integer from 2 to ${LIMITS.latent.max}; got ${JSON.stringify(s.latent)}`);
  if (!numIn(s.dropout, 0, 0.95)) return problem('dropout', `must be a number from 0 to 0.95; got ${JSON.stringify(s.dropout)}`);
  let patch = 8;
  if (s.mixer !== undefined) {
    const m = s.mixer as Record<string, unknown> | null;
    if (!m || !intIn(m.patch, 1, LIMITS.inputSize.max) || !intIn(m.dim, 2, 4096) || (m.dim as number) % 2 !== 0 || !intIn(m.depth, 1, 64))
      return problem('mixer', `needs integer patch >= 1, even dim 2-4096 and depth 1-64; got ${JSON.stringify(s.mixer)}`);
    patch = m.patch as number;
  }
  const bad = inputSizeProblem(backbone, s.inputSize as number, patch);
  if (bad) return problem('input-size', bad);
  return E.right(s as unknown as ModelSpec);
};

export interface RunShape {
  readonly model: ModelSpec;
  readonly elim: ElimConfig;
  readonly batch: { readonly identities: number; readonly perIdentity: number };
}

/**
 * What must hold between options: attention heads divide the attention width (the latent by
 * default); with identities as domains, N <= P (a batch holds P identities) and k <= K (each
 * holds K images) — more would be clamped to what the batch has, silently changing the run.
 */
export const checkRunShape = (r: RunShape): E.Either<SpecProblem, RunShape> => {
  const { elim, model, batch } = r;
  if (elim.elim && elim.matching === 'attention') {
    const width = elim.attention.width ?? model.latent;
    if (width % elim.attention.heads !== 0)
      return problem('attention-heads', `${elim.attention.heads} heads do not divide the attention width ${width} (the latent size unless set)`);
  }
  if (elim.elim && elim.domainKey === 'identity') {
    if (elim.domains > batch.identities)
      return problem('domains', `${elim.domains} domains per batch, but a batch holds only ${batch.identities} identities (--identities-per-batch)`);
    if (elim.topk > batch.perIdentity)
      return problem('topk', `k = ${elim.topk} per domain, but a batch holds only ${batch.perIdentity} images per identity (--images-per-identity)`);
  }
  return E.right(r);
};

/** The synthetic draw: some identities are held out, and enough remain to fill a batch. */
export const checkSynthShape = (synth: { readonly identities: number; readonly heldOut: number }, identitiesPerBatch?: number): E.Either<SpecProblem, void> => {
  if (synth.heldOut >= synth.identities)
    return problem('synth-held-out', `${synth.heldOut} held-out identities must be fewer than --synth-identities (${synth.identities})`);
  const train = synth.identities - synth.heldOut;
  if (identitiesPerBatch !== undefined && train < identitiesPerBatch)
    return problem(
      'synth-identities',
      `${synth.identities} - ${synth.heldOut} held out leaves ${train} training identities, fewer than --identities-per-batch (${identitiesPerBatch})`,
    );
  return E.right(undefined);
};

export const checkSeed = (seed: unknown, field = 'seed'): E.Either<SpecProblem, number> =>
  intIn(seed, LIMITS.seed.min, LIMITS.seed.max)
    ? E.right(seed)
    : problem(field, `must be an integer from ${LIMITS.seed.min} to ${LIMITS.seed.max}; got ${String(seed)}`);

/** A list of seeds: each checked, none repeated (a repeated seed is the same run twice, not a second sample). */
export const checkSeedList = (raw: readonly string[], field = 'seeds'): E.Either<SpecProblem, number[]> => {
  if (raw.length === 0) return problem(field, 'needs at least one seed');
  const seeds: number[] = [];
  for (const r of raw) {
    const n = /^\s*\d+\s*$/.test(r) ? Number(r) : NaN;
    const s = checkSeed(n, field);
    if (E.isLeft(s)) return problem(field, `each must be an integer from ${LIMITS.seed.min} to ${LIMITS.seed.max}; got '${r}'`);
    if (seeds.includes(s.right)) return problem(field, `seed ${s.right} is repeated (paired seeds must differ)`);
    seeds.push(s.right);
  }
  return E.right(seeds);
};

/** Environment knobs the CLI reads, checked once at start-up: a typo must not silently mean the default. */
export const checkEnvironment = (env: NodeJS.ProcessEnv): E.Either<SpecProblem, void> => {
  const b = env.ELIM_BACKEND;
  if (b !== undefined && b !== '' && !['auto', 'cpu', 'gpujs'].includes(b)) return problem('ELIM_BACKEND', `must be auto, cpu or gpujs; got '${b}'`);
  const t = env.ELIM_THREADS;
  if (t !== undefined && t !== '') {
    const n = /^\s*\d+\s*$/.test(t) ? Number(t) : NaN;
    if (!intIn(n, 1, maxThreads())) return problem('ELIM_THREADS', `must be an integer from 1 to ${maxThreads()} (the cores here, at least 2); got '${t}'`);
  }
  return E.right(undefined);
};
