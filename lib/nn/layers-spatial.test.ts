import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import { conv2d } from './conv2d.js';
import { adaptiveAvgPool2d, avgPool2d, globalAvgPool, maxPool2d } from './pooling.js';
import { multiHeadAttention, selfAttention } from './attention.js';
import { basicBlock, resnet18 } from './resnet.js';
import { mixerBlock } from './mixer.js';
import { initModule, sequential } from './module.js';
import { relu } from './activations.js';
import { grad } from '../autograd/grad.js';
import { checkModuleGrad } from './module-grad.test-helpers.js';

useBackend(createCpuBackend());

const f64 = (v: number[], shape: number[]) => T.tensor(v, shape, { dtype: 'float64' });
const rand = (shape: number[], seed = 1) => T.randomNormal(shape, Rng.fromSeed(seed), 0, 1, { dtype: 'float64' });
const none = new Map();

describe('Conv2d', () => {
  it('cross-correlates with stride and padding, plus a per-channel bias', () => {
    const m = conv2d(1, 1, 2, { padding: 1, stride: 2 });
    const p = new Map([
      ['weight', f64([1, 2, 3, 4], [1, 1, 2, 2])],
      ['bias', f64([10], [1])],
    ]);
    // x = [[1,2,3],[4,5,6],[7,8,9]] zero-padded to 5x5; windows at (0,0),(0,2),(2,0),(2,2) of the padded grid
    const y = m.apply(p, none, f64([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]), { training: false }).y;
    expect(y.shape).toEqual([1, 1, 2, 2]);
    // (0,0): only x00*4 = 4; (0,2): x01*3 + x02*4 = 6 + 12; (2,0): x10*2 + x20*4 = 8 + 28; (2,2): 5*1+6*2+8*3+9*4
    expect(Array.from(y.toArray())).toEqual([14, 28, 46, 87]);
  });
  it('passes a gradient check', () => checkModuleGrad(conv2d(2, 3, 3, { padding: 1, stride: 2 }), rand([2, 2, 5, 5])));

  it('in a Sequential, Conv2d + ReLU runs as one fused kernel with the values and gradients of the pair', () => {
    const cpu = createCpuBackend();
    const calls: string[] = [];
    const spied = { ...cpu, conv2dBiasAct: (...a: Parameters<NonNullable<typeof cpu.conv2dBiasAct>>) => (calls.push(a[6]), cpu.conv2dBiasAct!(...a)) };
    const composed = { ...cpu, conv2dBiasAct: undefined }; // the op layer falls back to conv2d -> add -> relu
    const net = sequential([conv2d(3, 4, 3, { padding: 1 }), relu(), conv2d(4, 2, 1)]);
    const run = (backend: typeof cpu) => {
      useBackend(backend);
      try {
        const { params, state } = initModule(net, Rng.fromSeed(8));
        const x = T.randomNormal([2, 3, 6, 5], Rng.fromSeed(9));
        const ps = [...params.values()];
        const y = net.apply(params, state, x, { training: true }).y;
        const g = grad(T.sum(T.square(y)), ps);
        return { y: Array.from(y.toArray()), g: g.map((t) => Array.from(t.toArray())) };
      } finally {
        useBackend(cpu);
      }
    };
    const fused = run(spied);
    expect(calls).toEqual(['relu', 'none']); // the pair fused; the last conv keeps its bias add fused
    const plain = run(composed);
    expect(fused.y).toEqual(plain.y);
    fused.g.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(plain.g[i][j], 5)));
  });
});

describe('pooling', () => {
  const x = f64([1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 2], [1, 1, 4, 4]);
  it('max / avg / adaptive / global average by hand', () => {
    expect(Array.from(maxPool2d({ kernel: 2 }).apply(none, none, x, { training: false }).y.toArray())).toEqual([5, 8, 9, 7]);
    expect(Array.from(avgPool2d({ kernel: 2 }).apply(none, none, x, { training: false }).y.toArray())).toEqual([13 / 4, 11 / 4, 12 / 4, 18 / 4]);
    expect(Array.from(adaptiveAvgPool2d([1, 2]).apply(none, none, x, { training: false }).y.toArray())).toEqual([25 / 8, 29 / 8]);
    const g = globalAvgPool().apply(none, none, x, { training: false }).y;
    expect(g.shape).toEqual([1, 1]);
    expect(g.item()).toBeCloseTo(54 / 16, 12);
  });
  it('pass gradient checks', () => {
    const r = rand([2, 2, 4, 4], 4);
    checkModuleGrad(maxPool2d({ kernel: 3, stride: 2, padding: 1 }), r);
    checkModuleGrad(avgPool2d({ kernel: 2 }), r);
    checkModuleGrad(adaptiveAvgPool2d([3, 3]), r);
  });
});

describe('multi-head attention', () => {
  it('matches a loop implementation of softmax(q k^T / sqrt(dh)) v per head', () => {
    const o = { dim: 4, heads: 2 };
    const { params } = initModule(selfAttention(o), Rng.fromSeed(2), { dtype: 'float64' });
    const q = rand([1, 2, 4], 5);
    const kv = rand([1, 3, 4], 6);
    const { y, weights } = multiHeadAttention(params, o, q, kv, kv);
    const arr = (n: string) => Array.from(params.get(n)!.toArray());
    const lin = (rows: number[][], n: string) =>
      rows.map((r) => arr(`${n}.bias`).map((b, j) => b + r.reduce((s, v, k) => s + v * arr(`${n}.weight`)[j * 4 + k], 0)));
    const rowsOf = (t: typeof q) => Array.from({ length: t.shape[1] }, (_, i) => Array.from(t.toArray()).slice(i * 4, i * 4 + 4));
    const Q = lin(rowsOf(q), 'q_proj');
    const K = lin(rowsOf(kv), 'k_proj');
    const V = lin(rowsOf(kv), 'v_proj');
    const ctx = Q.map(() => [0, 0, 0, 0]);
    const wts: number[] = [];
    for (let h = 0; h < 2; h++) {
      Q.forEach((qi, i) => {
        const s = K.map((kj) => (qi[2 * h] * kj[2 * h] + qi[2 * h + 1] * kj[2 * h + 1]) / Math.sqrt(2));
        const e = s.map((v) => Math.exp(v - Math.max(...s)));
        const w = e.map((v) => v / e.reduce((a, b) => a + b, 0));
        wts.push(...w);
        for (let d = 0; d < 2; d++) ctx[i][2 * h + d] = w.reduce((a, wj, j) => a + wj * V[j][2 * h + d], 0);
      });
    }
    const want = lin(ctx, 'out_proj').flat();
    Array.from(y.toArray()).forEach((v, i) => expect(v).toBeCloseTo(want[i], 10));
    Array.from(weights.toArray()).forEach((v, i) => expect(v).toBeCloseTo(wts[i], 10));
  });
  it('passes a gradient check (self-attention)', () => checkModuleGrad(selfAttention({ dim: 4, heads: 2 }), rand([2, 3, 4], 7)));
});

describe('composite blocks', () => {
  it('ResNet BasicBlock with downsample passes a gradient check (BN in training mode)', () =>
    checkModuleGrad(basicBlock(2, 3, 2), rand([2, 2, 4, 4], 8), { training: true }, 1e-5));
  it('Mixer block passes a gradient check', () => checkModuleGrad(mixerBlock(3, 4, 5, 6), rand([2, 3, 4], 9)));
  it('BasicBlock in eval mode (each conv + BN folded into one convolution) passes a gradient check', () =>
    checkModuleGrad(basicBlock(2, 3, 2), rand([2, 2, 4, 4], 10), { training: false }, 1e-5));

  it('ResNet18 in eval mode folds every conv + BatchNorm (+ ReLU) into one fused convolution, with the unfused values', () => {
    const cpu = createCpuBackend();
    const calls = { conv2d: 0, fused: 0 };
    const spied = {
      ...cpu,
      conv2d: (...a: Parameters<typeof cpu.conv2d>) => (calls.conv2d++, cpu.conv2d(...a)),
      conv2dBiasAct: (...a: Parameters<NonNullable<typeof cpu.conv2dBiasAct>>) => (calls.fused++, cpu.conv2dBiasAct!(...a)),
    };
    useBackend(spied);
    try {
      const net = resnet18({ inputSize: 32, width: 4 }).module;
      const { params, state } = initModule(net, Rng.fromSeed(21));
      const x = T.randomNormal([2, 3, 32, 32], Rng.fromSeed(22));
      // running statistics away from their (0, 1) start, so the folding has something to fold
      const trained = net.apply(params, state, T.mul(x, 1.7), { training: true }).state;
      const outOf = (fuse: boolean) => Array.from(net.apply(params, trained, x, { training: false, fuse }).y.toArray());
      calls.conv2d = calls.fused = 0;
      const folded = outOf(true);
      expect(calls).toEqual({ conv2d: 0, fused: 20 }); // stem + 16 block convolutions + 3 downsamples
      const plain = outOf(false);
      const scale = Math.max(...plain.map(Math.abs));
      folded.forEach((v, i) => expect(Math.abs(v - plain[i])).toBeLessThan(1e-5 * scale));
    } finally {
      useBackend(cpu);
    }
  });
});
