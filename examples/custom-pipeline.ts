/**
 * A custom ELIM pipeline, composed by a user from the stages.
 *
 * ELIM-Age (appendix §4.4): the domain key is an age group instead of the identity, so the
 * matching removes the *age* shift of expression tendency; and the transport uses a squared
 * Euclidean cost with the log-domain solver instead of the default 1 - cos. The example
 * 1. inspects one batch with a hand-written composition of the stages (ReaderEither over the
 *    Env: validate -> group -> sample -> transport -> normalize), printing each age group's
 *    mean shift;
 * 2. trains a small MLP encoder + projector with `elimStep` inside `withGrad` and Adam, each
 *    iteration under its own random key (`withRng`).
 *
 * Run: npm run build && node dist/examples/custom-pipeline.js [steps]
 */
import * as E from 'fp-ts/lib/Either.js';
import * as RE from 'fp-ts/lib/ReaderEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { createCpuBackend } from '../kernels/cpu/cpu-backend.js';
import { useBackend } from '../lib/backend/current.js';
import * as T from '../lib/ops/index.js';
import { Rng } from '../lib/rng/rng.js';
import { linear } from '../lib/nn/linear.js';
import { relu } from '../lib/nn/activations.js';
import { projector } from '../lib/nn/heads.js';
import { initModule, sequential } from '../lib/nn/module.js';
import { mergeTrees, subtree, type StateTree } from '../lib/nn/tree.js';
import { adam } from '../lib/optim/adam.js';
import { makeConfig } from '../pipelines/config.js';
import { forkStreams, makeEnv, withRng, type Env } from '../pipelines/env.js';
import { formatElimError, type ElimError } from '../pipelines/errors.js';
import { elimStep, withGrad } from '../pipelines/elim.js';
import { group } from '../pipelines/stages/group.js';
import { keptIndices, sample } from '../pipelines/stages/sample.js';
import { transport } from '../pipelines/stages/transport.js';
import { normalize } from '../pipelines/stages/normalize.js';
import { validate, type StepData } from '../pipelines/stages/validate.js';
import type { Tensor } from '../lib/tensor/tensor.js';

/** The domain key of ELIM-Age. */
export const ageGroup = (age: number): string => (age < 20 ? '0-19' : age < 40 ? '20-39' : age < 60 ? '40-59' : '60+');

/** Synthetic faces: each age group expresses more or less intensely and looks different. */
const makeBatch = (rng: Rng, size: number, inDim: number) => {
  const xs: number[] = [];
  const ys: number[] = [];
  const keys: string[] = [];
  for (let s = 0; s < size; s++) {
    const age = 10 + rng.uniform() * 70;
    const gain = 1.4 - age / 100; // older: damped expression in appearance
    const y = [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1];
    for (let k = 0; k < inDim; k++) xs.push(gain * (k % 2 ? y[0] : y[1]) * (1 + k / inDim) + age / 40 + 0.05 * rng.normal());
    ys.push(...y);
    keys.push(ageGroup(age));
  }
  return { x: T.tensor(xs, [size, inDim]), labels: T.tensor(ys, [size, 2]), keys };
};

/** A user-composed stage: each drawn age group's mean ID shift, from the library's stages. */
export const inspectShifts = (data: StepData): RE.ReaderEither<Env, ElimError, Array<{ key: string | number; meanShift: number }>> =>
  pipe(
    RE.asks((env: Env) => forkStreams(env)),
    RE.bindTo('streams'),
    RE.bind('checked', () => validate(data)),
    RE.bind('groups', ({ streams }) => group({ keys: data.keys, rng: streams.group })),
    RE.flatMap(({ streams, checked, groups }) => {
      if (groups._tag === 'Skipped') return RE.right([]);
      return pipe(
        sample({ anchor: groups.anchor, targets: groups.targets, labels: checked.labelsHost, rng: streams.sample }),
        RE.flatMap((s) => {
          const anchor = keptIndices(s.anchor);
          const targets = s.targets.map(keptIndices);
          return pipe(
            transport({ z: data.z, zHost: checked.zHost, anchor, targets }),
            RE.flatMap((tr) => normalize({ z: data.z, targets, shift: { _tag: 'Transport', anchor, transport: tr } })),
            RE.map(({ mu, sizes }) => {
              const m = Array.from(mu.toArray());
              let at = 0;
              return sizes.map((n, i) => {
                const part = m.slice(at, (at += n));
                return { key: s.targets[i].key, meanShift: part.reduce((a, b) => a + b, 0) / n };
              });
            }),
          );
        }),
      );
    }),
  );

export const main = (steps = 300, log: (line: string) => void = console.log): number[] => {
  useBackend(createCpuBackend());
  const config = makeConfig({ domainKey: 'age-group', domains: 4, topk: 6, transport: { cost: 'sqeuclidean', solver: 'log', lambda: 2 } });
  const env = makeEnv({ config, seed: 2022 });
  const stepKeys = Rng.fromSeed(2023);
  const inDim = 8;
  const latent = 8;
  const encoder = sequential([linear(inDim, 16), relu(), linear(16, latent)]);
  const proj = projector(latent);
  const init = Rng.fromSeed(1);
  const enc = initModule(encoder, init.fork());
  const pr = initModule(proj, init.fork());
  const data = Rng.fromSeed(7);

  // 1. one batch through the hand-composed stages
  const probe = makeBatch(data, 48, inDim);
  const z0 = encoder.apply(enc.params, enc.state, probe.x, { training: false }).y;
  const shifts = inspectShifts({ z: z0, labels: probe.labels, keys: probe.keys })(env);
  if (E.isLeft(shifts)) throw new Error(formatElimError(shifts.left));
  for (const s of shifts.right) log(`age group ${s.key}: mean shift ${s.meanShift.toFixed(4)}`);

  // 2. training with the composed step inside valueAndGrad
  let params = mergeTrees({ encoder: enc.params, projector: pr.params });
  const opt = adam({ lr: 3e-3 });
  let optState = opt.init(params);
  let state: StateTree = pr.state;
  const losses: number[] = [];
  const outcomes = new Map<string, number>();
  for (let it = 0; it < steps; it++) {
    const b = makeBatch(data, 48, inDim);
    const stepEnv = withRng(env, stepKeys);
    const r = withGrad(params, () => {
      const z: Tensor = encoder.apply(subtree(params, 'encoder'), enc.state, b.x, { training: true }).y;
      return elimStep({
        z,
        labels: b.labels,
        keys: b.keys,
        iteration: it,
        models: { projector: { module: proj, params: subtree(params, 'projector'), state } },
      })(stepEnv);
    });
    b.x.dispose();
    b.labels.dispose();
    if (E.isLeft(r)) throw new Error(formatElimError(r.left));
    const { out, grads } = r.right;
    const tag = out.outcome._tag === 'Grouped' ? 'Grouped' : `${out.outcome._tag}:${out.outcome.reason}`;
    outcomes.set(tag, (outcomes.get(tag) ?? 0) + 1);
    losses.push(out.loss.item());
    if (it % 50 === 0 || it === steps - 1)
      log(`step ${it}: loss ${losses[it].toFixed(4)} (L_main ${out.terms.main.item().toFixed(4)}, L_va ${out.terms.va.item().toFixed(4)})`);
    state = out.state;
    ({ params, state: optState } = opt.step(params, grads, optState));
  }
  log(`outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return losses;
};

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) main(Number(process.argv[2] ?? 300));
