import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { asParameter } from '../nn/tree.js';
import { adam } from './adam.js';
import { sgd } from './sgd.js';
import { cosine, multiStep, releaseSchedule } from './schedules.js';
import { clipGradNorm } from './clip.js';
import { valueAndGradTree } from './grads.js';
import { Rng } from '../rng/rng.js';

const backend = useBackend(createCpuBackend());
const p64 = (v: number[]) => asParameter(T.tensor(v, [v.length], { dtype: 'float64' }));
const g64 = (v: number[]) => T.tensor(v, [v.length], { dtype: 'float64' });

describe('Adam', () => {
  it('matches a hand-computed run with bias correction (betas 0.5, 0.99)', () => {
    const opt = adam({ lr: 0.1, betas: [0.5, 0.99], eps: 1e-8 });
    let params = new Map([['w', p64([1, -2])]]);
    let state = opt.init(params);
    const gs = [
      [0.5, -1],
      [0.25, 2],
    ];
    // hand computation
    let m = [0, 0],
      v = [0, 0],
      w = [1, -2];
    for (let t = 1; t <= 2; t++) {
      const g = gs[t - 1];
      m = m.map((mi, i) => 0.5 * mi + 0.5 * g[i]);
      v = v.map((vi, i) => 0.99 * vi + 0.01 * g[i] ** 2);
      w = w.map((wi, i) => wi - (0.1 * (m[i] / (1 - 0.5 ** t))) / (Math.sqrt(v[i] / (1 - 0.99 ** t)) + 1e-8));
      ({ params, state } = opt.step(params, new Map([['w', g64(g)]]), state));
    }
    const got = params.get('w')!.toArray();
    expect(got[0]).toBeCloseTo(w[0], 12);
    expect(got[1]).toBeCloseTo(w[1], 12);
    expect(state.step).toBe(2);
    expect(params.get('w')!.requiresGrad).toBe(true);
    // first step moves each coordinate by exactly lr (sign of g)
    const fresh = adam({ lr: 0.1 });
    const r = fresh.step(new Map([['w', p64([0, 0])]]), new Map([['w', g64([3, -0.001])]]), fresh.init(new Map([['w', p64([0, 0])]])));
    expect(r.params.get('w')!.toArray()[0]).toBeCloseTo(-0.1, 6);
    expect(r.params.get('w')!.toArray()[1]).toBeCloseTo(0.1, 4);
  });
  it('applies L2 weight decay (Adam) and decoupled decay (AdamW)', () => {
    const l2 = adam({ lr: 0.1, weightDecay: 0.5 });
    const s = l2.init(new Map([['w', p64([2])]]));
    // g' = 0 + 0.5*2 = 1 -> first step moves by -lr
    expect(
      l2
        .step(new Map([['w', p64([2])]]), new Map([['w', g64([0])]]), s)
        .params.get('w')!
        .toArray()[0],
    ).toBeCloseTo(1.9, 6);
    const dec = adam({ lr: 0.1, weightDecay: 0.5, decoupled: true });
    const s2 = dec.init(new Map([['w', p64([2])]]));
    expect(
      dec
        .step(new Map([['w', p64([2])]]), new Map([['w', g64([0])]]), s2)
        .params.get('w')!
        .toArray()[0],
    ).toBeCloseTo(2 * (1 - 0.05), 9);
  });
  it('gives parameter groups their own learning rate (projector at 0.2x)', () => {
    const opt = adam({ lr: 0.1, groups: [{ match: (n) => n.startsWith('projector.'), lrScale: 0.2 }] });
    let params = new Map([
      ['encoder.w', p64([0])],
      ['projector.w', p64([0])],
    ]);
    const state = opt.init(params);
    ({ params } = opt.step(
      params,
      new Map([
        ['encoder.w', g64([1])],
        ['projector.w', g64([1])],
      ]),
      state,
    ));
    expect(params.get('encoder.w')!.toArray()[0]).toBeCloseTo(-0.1, 6);
    expect(params.get('projector.w')!.toArray()[0]).toBeCloseTo(-0.02, 6);
    expect(opt.lrFor('projector.w', 0)).toBeCloseTo(0.02, 12);
  });
  it('leaks nothing over many steps and disposes what it consumed', () => {
    const opt = adam({ lr: 0.01, schedule: releaseSchedule });
    let params = new Map([
      ['a', asParameter(T.ones([3, 4]))],
      ['b', asParameter(T.ones([4]))],
    ]);
    let state = opt.init(params);
    const before = backend.liveHandles();
    const first = params.get('a')!;
    for (let i = 0; i < 50; i++) {
      const { out, grads } = valueAndGradTree(params, () => ({
        loss: T.sum(T.square(T.add(T.matmul(params.get('a')!, T.reshape(params.get('b')!, [4, 1])), 1))),
      }));
      out.loss.dispose(); // the caller owns the loss it asked for
      ({ params, state } = opt.step(params, grads, state));
    }
    expect(first.isDisposed).toBe(true);
    expect(backend.liveHandles()).toBe(before);
  });

  it("the CPU backend's fused update equals the op composition bit for bit (float32 and float64, L2 and decoupled decay)", () => {
    const rng = Rng.fromSeed(31);
    for (const dtype of ['float32', 'float64'] as const) {
      for (const [wd, decoupled] of [
        [0, false],
        [0.01, false],
        [0.05, true],
      ] as const) {
        const r = (scale: number) => T.mul(T.randomNormal([257], rng, 0, 1, { dtype }), scale);
        let p = r(1),
          m = T.zeros([257], { dtype }),
          v = T.zeros([257], { dtype });
        let pc = p,
          mc = m,
          vc = v;
        for (let t = 1; t <= 5; t++) {
          const g = r(10 ** (t - 3)); // gradients from 0.01 to 100: the rounding of every term matters
          const h = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: wd, decoupled, step: t }; // betas that are not powers of two: each rounding shows
          ({ p, m, v } = T.adamUpdate(p, g, m, v, h));
          ({ p: pc, m: mc, v: vc } = T.adamUpdateComposed(pc, g, mc, vc, h));
        }
        for (const [a, b] of [
          [p, pc],
          [m, mc],
          [v, vc],
        ])
          expect(Array.from(a.toArray()), `${dtype} wd ${wd} decoupled ${decoupled}`).toEqual(Array.from(b.toArray()));
      }
    }
    expect(backend.adamUpdate).toBeTypeOf('function'); // the fused path really ran above
  });
});

describe('SGD', () => {
  it('momentum follows PyTorch (buffer = g on the first step)', () => {
    const opt = sgd({ lr: 0.5, momentum: 0.9 });
    let params = new Map([['w', p64([1])]]);
    let state = opt.init(params);
    ({ params, state } = opt.step(params, new Map([['w', g64([2])]]), state)); // buf 2, w = 0
    ({ params } = opt.step(params, new Map([['w', g64([1])]]), state)); // buf 2.8, w = -1.4
    expect(params.get('w')!.toArray()[0]).toBeCloseTo(-1.4, 12);
    const nes = sgd({ lr: 1, momentum: 0.5, nesterov: true, weightDecay: 0.1 });
    const r = nes.step(new Map([['w', p64([1])]]), new Map([['w', g64([1])]]), nes.init(new Map([['w', p64([1])]])));
    // g = 1.1, buf = 1.1, d = 1.1 + 0.55
    expect(r.params.get('w')!.toArray()[0]).toBeCloseTo(1 - 1.65, 12);
  });
});

describe('schedules', () => {
  it('MultiStepLR: gamma^(#milestones <= step)', () => {
    const s = multiStep([500, 2500], 0.8);
    expect([0, 499, 500, 2499, 2500, 99999].map(s)).toEqual([1, 1, 0.8, 0.8, 0.8 ** 2, 0.8 ** 2]);
    expect(releaseSchedule(10000)).toBeCloseTo(0.8 ** 5, 12);
  });
  it('cosine: warm-up then half a cosine down to the floor', () => {
    const s = cosine(110, { warmup: 10, minFactor: 0.1 });
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(9)).toBeCloseTo(1, 12);
    expect(s(10)).toBeCloseTo(1, 12);
    expect(s(60)).toBeCloseTo(0.55, 12);
    expect(s(110)).toBeCloseTo(0.1, 12);
    expect(s(500)).toBeCloseTo(0.1, 12);
  });
});

describe('clipGradNorm', () => {
  it('rescales to the max norm only when above it, and only the chosen gradients', () => {
    const grads = new Map([
      ['enc.a', g64([3, 0])],
      ['enc.b', g64([4])],
      ['proj.c', g64([100])],
    ]);
    const r = clipGradNorm(grads, 1, (n) => n.startsWith('enc.'));
    expect(r.norm).toBeCloseTo(5, 12);
    expect(r.grads.get('enc.a')!.toArray()[0]).toBeCloseTo(0.6, 5);
    expect(r.grads.get('enc.b')!.toArray()[0]).toBeCloseTo(0.8, 5);
    expect(r.grads.get('proj.c')!.toArray()[0]).toBe(100);
    const small = clipGradNorm(new Map([['x', g64([0.3])]]), 1);
    expect(small.grads.get('x')!.toArray()[0]).toBe(0.3);
  });
});
