/**
 * Exact resumption: train k steps, checkpoint (params, BN state, Adam state, RNG streams, step),
 * load into a fresh process-like setup, continue; the losses must equal an uninterrupted run's
 * bit for bit (CPU, same seed). AL64 tiny with dropout, BatchNorm, parameter groups, a
 * MultiStepLR schedule with a milestone inside the run, and clipping.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import { scope } from '../tensor/scope.js';
import * as nn from '../nn/index.js';
import { adam } from '../optim/adam.js';
import { multiStep } from '../optim/schedules.js';
import { clipGradNorm } from '../optim/clip.js';
import { valueAndGradTree } from '../optim/grads.js';
import type { OptimizerState } from '../optim/optimizer.js';
import { disposeReplaced, type ParamTree, type StateTree } from '../nn/tree.js';
import { loadCheckpoint, saveCheckpoint, templateOf, type FileIO } from './checkpoint.js';
import { describeCheckpointError } from './errors.js';

const backend = useBackend(createCpuBackend());

const al = nn.createAl64({ ...nn.AL64_TINY, width: 0.125, batch: 6 });
const model = nn.named([
  ['encoder', al.encoder],
  ['projector', al.projector],
]);
const optimizer = adam({
  lr: 2e-3,
  betas: [0.5, 0.99],
  schedule: multiStep([3], 0.8),
  groups: [{ match: (n) => n.startsWith('projector.'), lrScale: 0.2 }],
});

/** Step i's batch is a pure function of (data rng state): drawn from a stream saved with the checkpoint. */
const batch = (data: Rng) => ({
  x: T.randomUniform([6, ...al.backbone.inputShape], data, -1, 1),
  y: T.randomUniform([6, 2], data, -1, 1),
});

interface TrainState {
  readonly params: ParamTree;
  readonly state: StateTree;
  readonly opt: OptimizerState;
}

/** One step as the trainer takes it: dropout from its stream, the encoder's gradients clipped to norm 1. */
const step = (s: TrainState, rngs: { data: Rng; dropout: Rng }): { next: TrainState; loss: number } =>
  scope(() => {
    const { x, y } = batch(rngs.data);
    const { out, grads } = valueAndGradTree(s.params, () => {
      const r = model.apply(s.params, s.state, x, { training: true, rng: rngs.dropout });
      return { loss: T.mean(T.square(T.sub(r.y, y))), state: r.state };
    });
    const loss = out.loss.item();
    disposeReplaced(s.state, out.state);
    const u = optimizer.step(s.params, clipGradNorm(grads, 1, (n) => n.startsWith('encoder.')).grads, s.opt);
    return { next: { params: u.params, state: out.state, opt: u.state }, loss };
  });

const run = (s0: TrainState, rngs: { data: Rng; dropout: Rng }, steps: number) => {
  let s = s0;
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const r = step(s, rngs);
    s = r.next;
    losses.push(r.loss);
  }
  return { s, losses };
};

const fresh = () => {
  const { params, state } = nn.initModule(model, Rng.fromSeed(11));
  return { s: { params, state, opt: optimizer.init(params) } as TrainState, rngs: { data: Rng.fromSeed(1), dropout: Rng.fromSeed(2) } };
};

const memoryIO = (): FileIO => {
  const files = new Map<string, Uint8Array>();
  return {
    readFile: async (p) => files.get(p) ?? Promise.reject(new Error(`ENOENT ${p}`)),
    writeFile: async (p, d) => void files.set(p, d.slice()),
    rename: async (a, b) => {
      files.set(b, files.get(a)!);
      files.delete(a);
    },
  };
};

describe('exact resume', () => {
  it('save after step k, reload, continue: identical losses to an uninterrupted run', async () => {
    const a = fresh();
    const straight = run(a.s, a.rngs, 6).losses;

    const b = fresh();
    const first = run(b.s, b.rngs, 3);
    const io = memoryIO();
    const saved = await saveCheckpoint(io, 'ckpt', {
      step: 3,
      params: first.s.params,
      state: first.s.state,
      optimizer: first.s.opt,
      rng: { data: b.rngs.data.state(), dropout: b.rngs.dropout.state() },
    })();
    expect(E.isRight(saved)).toBe(true);
    // "kill" the run: drop everything it held
    for (const t of [...first.s.params.values(), ...first.s.state.values(), ...first.s.opt.slots.values()]) t.dispose();

    const c = fresh(); // a new process builds its model, then loads over it
    const tpl = templateOf(c.s.params, c.s.state, c.s.opt);
    for (const t of [...c.s.params.values(), ...c.s.state.values(), ...c.s.opt.slots.values()]) t.dispose();
    const loaded = await loadCheckpoint(io, 'ckpt', tpl)();
    if (E.isLeft(loaded)) throw new Error(describeCheckpointError(loaded.left));
    const ck = loaded.right;
    expect(ck.step).toBe(3);
    const live = backend.liveHandles();
    const resumed = run({ params: ck.params, state: ck.state, opt: ck.optimizer! }, { data: new Rng(ck.rng!.data), dropout: new Rng(ck.rng!.dropout) }, 3);
    expect(backend.liveHandles()).toBe(live);
    expect([...first.losses, ...resumed.losses]).toEqual(straight);
    expect(straight[5]).not.toBe(straight[4]);
  });
});
