/**
 * One bench:train configuration, run inside its own child process (bench/train.ts spawns
 * `train.js --child <spec>`): the AL64 workload on our CPU backend, GPU.js, or a tfjs backend
 * (bench/anchors/tfjs-train.ts), timed after warm-up, with the process's peak RSS at the end.
 *
 * Our steps mirror pipelines/train/trainer.ts: encoder forward in training mode, then the step
 * core (`baselineStep` or `elimStep`) inside `withGrad`, one read-back of the loss,
 * Adam (betas 0.5, 0.99), the encoder's and projector's new BatchNorm state swapped in and the
 * old released. ELIM: 8 identities x 8 images, domains N = 8, topk k = 6, the default
 * ElimConfig otherwise, warm-up off (w1 = 0, w2 = 1, iterations from 1): every step checks
 * that the branch ran (outcome Grouped, L_main > 0).
 */
import * as E from 'fp-ts/lib/Either.js';
import { noGrad } from '../../lib/autograd/tape.js';
import { useBackend } from '../../lib/backend/current.js';
import type { Backend } from '../../lib/backend/backend.js';
import { createAl64 } from '../../lib/nn/al64.js';
import { initModule } from '../../lib/nn/module.js';
import { subtree } from '../../lib/nn/tree.js';
import * as T from '../../lib/ops/index.js';
import { adam } from '../../lib/optim/adam.js';
import { Rng } from '../../lib/rng/rng.js';
import { scope } from '../../lib/tensor/scope.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { enableRelaxedSimd } from '../../kernels/cpu/wasm/relaxed-flag.js';
import { baselineStep } from '../../pipelines/baseline.js';
import { makeConfig } from '../../pipelines/config.js';
import { elimStep, withGrad, type StepOutput } from '../../pipelines/elim.js';
import { makeEnv } from '../../pipelines/env.js';
import { nextModelState } from '../../pipelines/train/model.js';
import { formatElimError } from '../../pipelines/errors.js';
import { timeSync, type Timing } from './timing.js';

export interface ChildSpec {
  /** 'elim-cpu' | 'gpujs' | 'gpujs-probe' | 'tfjs-wasm' | 'tfjs-cpu' | 'tfjs-webgl' */
  readonly engine: string;
  readonly threads: number;
  readonly workload: 'baseline' | 'elim' | 'infer';
  readonly batch: number;
  readonly warmup: number;
  readonly reps: number;
}

export interface ChildAnswer {
  readonly batch: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly reps: number;
  readonly cpuPerWall: number;
  readonly maxRssKiB: number;
  readonly kernelClass?: string;
  readonly isGL?: boolean;
  readonly renderer?: string | null;
  readonly customConvGrad?: boolean;
  readonly losses?: readonly number[];
  /** ELIM only: whether every step ran the ELIM branch with a non-zero L_main. */
  readonly elimActive?: boolean;
  readonly outcome?: string;
  readonly main?: number;
}

const IDENTITIES = 8;
const PER_IDENTITY = 8;
export const ELIM_BENCH_CONFIG = makeConfig({ domains: 8, topk: 6, warmup: { w1: 0, w2: 1 } });

const rss = (): number => process.resourceUsage().maxRSS;

const answer = (batch: number, t: Timing, extra: Partial<ChildAnswer> = {}): ChildAnswer => ({
  batch,
  medianMs: t.medianMs,
  minMs: t.minMs,
  reps: t.reps,
  cpuPerWall: t.cpuPerWall,
  maxRssKiB: rss(),
  ...extra,
});

const backendFor = async (spec: ChildSpec): Promise<Backend & { isGL?: boolean; renderer?: string | null }> => {
  // as the elim CLI runs it: relaxed SIMD switched on before the wasm module is compiled
  if (spec.engine === 'elim-cpu') {
    enableRelaxedSimd();
    return createCpuBackend({ threads: spec.threads });
  }
  const specifier = '../../kernels/gpujs/gpujs-backend.js';
  const mod = (await import(specifier)) as typeof import('../../kernels/gpujs/gpujs-backend.js');
  return mod.createGpujsBackend({ log: () => {} });
};

/** Times our AL64 steps or inference on `backend`. */
export const runOurs = (backend: Backend, spec: ChildSpec): ChildAnswer => {
  useBackend(backend);
  const B = IDENTITIES * PER_IDENTITY;
  const al = createAl64({ batch: B });
  const rng = Rng.fromSeed(7);
  const enc = initModule(al.encoder, rng.fork());
  const proj = initModule(al.projector, rng.fork());
  const prefixed = (p: string, m: ReadonlyMap<string, Tensor>) => [...m].map(([k, v]) => [`${p}.${k}`, v] as const);
  let params = new Map<string, Tensor>([...prefixed('encoder', enc.params), ...prefixed('projector', proj.params)]);
  let state = new Map<string, Tensor>([...prefixed('encoder', enc.state), ...prefixed('projector', proj.state)]);
  const xs = new Float32Array(B * 3 * 64 * 64);
  rng.fillUniform(xs, -1, 1);
  const ys = new Float32Array(B * 2);
  rng.fillUniform(ys, -1, 1);
  const x = T.tensor(xs, [B, 3, 64, 64]);
  const y = T.tensor(ys, [B, 2]);
  const keys = Array.from({ length: B }, (_, i) => `id${Math.floor(i / PER_IDENTITY)}`);

  if (spec.workload === 'infer') {
    const t = timeSync(
      () =>
        noGrad(() =>
          scope(() => {
            const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: false });
            void al.projector.apply(subtree(params, 'projector'), subtree(state, 'projector'), e.y, { training: false }).y.toArray();
          }),
        ),
      { warmup: spec.warmup, reps: spec.reps },
    );
    return answer(B, t, { kernelClass: backend.kernelClass });
  }

  const optimizer = adam({ lr: 1e-4, betas: [0.5, 0.99] });
  let opt = optimizer.init(params);
  const env = makeEnv({ config: ELIM_BENCH_CONFIG, seed: 11 });
  const dropoutRng = Rng.fromSeed(13);
  const core = spec.workload === 'elim' ? elimStep : baselineStep;
  const losses: number[] = [];
  let iteration = 1;
  let active = true;
  let outcome = '';
  let main = 0;
  const step = (): void => {
    const r = withGrad(params, () => {
      const e = al.encoder.apply(subtree(params, 'encoder'), subtree(state, 'encoder'), x, { training: true, rng: dropoutRng.fork() });
      const out = core({
        z: e.y,
        labels: y,
        keys,
        iteration,
        models: { projector: { module: al.projector, params: subtree(params, 'projector'), state: subtree(state, 'projector') } },
      })(env);
      return E.map((o: StepOutput) => {
        if (spec.workload === 'elim') {
          outcome = o.outcome._tag;
          main = o.terms.main.item();
          active &&= outcome === 'Grouped' && main > 0;
        }
        return { loss: o.loss, encState: e.state, projState: o.state };
      })(out);
    });
    if (E.isLeft(r)) throw new Error(formatElimError(r.left));
    const { out, grads } = r.right;
    losses.push(out.loss.item());
    out.loss.dispose();
    const next = optimizer.step(params, grads, opt);
    params = next.params;
    opt = next.state;
    state = nextModelState(state, out.encState, out.projState);
    iteration++;
  };
  const t = timeSync(step, { warmup: spec.warmup, reps: spec.reps });
  return answer(B, t, {
    kernelClass: backend.kernelClass,
    losses: [losses[spec.warmup], losses[losses.length - 1]],
    ...(spec.workload === 'elim' ? { elimActive: active, outcome, main } : {}),
  });
};

export const runTrainChild = async (spec: ChildSpec): Promise<ChildAnswer | { skipped: string }> => {
  if (spec.engine === 'tfjs-wasm' || spec.engine === 'tfjs-cpu' || spec.engine === 'tfjs-webgl') {
    if (spec.workload === 'elim') return { skipped: 'no ELIM step for tfjs' };
    const { runTfjsTrain } = await import('../anchors/tfjs-train.js');
    const r = await runTfjsTrain({
      backend: spec.engine === 'tfjs-wasm' ? 'wasm' : spec.engine === 'tfjs-webgl' ? 'webgl' : 'cpu',
      workload: spec.workload,
      batch: spec.batch,
      warmup: spec.warmup,
      reps: spec.reps,
    });
    return answer(spec.batch, r.timing, { customConvGrad: r.customConvGrad, losses: r.losses });
  }
  const backend = await backendFor(spec);
  if (spec.engine === 'gpujs-probe') {
    return {
      batch: 0,
      medianMs: 0,
      minMs: 0,
      reps: 0,
      cpuPerWall: 0,
      maxRssKiB: rss(),
      kernelClass: backend.kernelClass,
      isGL: backend.isGL ?? false,
      renderer: backend.renderer ?? null,
    };
  }
  return runOurs(backend, spec);
};
