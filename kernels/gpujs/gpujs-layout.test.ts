/**
 * Buffers larger than one layout row (MAX_W = 4096 cells), which the conformance suite's small
 * shapes never reach: the row/column split of every flat read is exercised here, with odd sizes,
 * size-1 dims and broadcasting. Tolerance as the conformance suite (1e-4 scaled, float32).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { expectClose } from '../conformance/compare.test-helpers.js';
import * as ref from '../cpu/reference/index.js';
import { Rng } from '../../lib/rng/rng.js';
import { sizeOf } from '../../lib/tensor/shape.js';
import { createGpujsBackend } from './gpujs-backend.js';
import { MAX_W } from './runtime.js';

const b = createGpujsBackend({ log: (m) => console.log(m) });
console.log(`[gpujs layout test] kernel class obtained: ${b.kernelClass}`);
const TOL = 1e-4;
const rng = Rng.fromSeed(7);
const data = (n: number, lo = -2, hi = 2) => {
  const a = new Float32Array(n);
  rng.fillUniform(a, lo, hi);
  return a;
};
const f64 = (a: Float32Array) => Float64Array.from(a);

afterAll(() => {
  expect(b.liveHandles()).toBe(0);
  b.destroy();
});

describe(`gpujs multi-row buffers (> ${MAX_W} cells) on ${b.kernelClass}`, () => {
  it('upload/download, unary and a broadcast binary over 3 rows of layout', () => {
    const x = data(3 * 1601 + 7);
    const y = data(3 * 1601 + 7);
    const hx = b.upload(x);
    expect(b.download(hx)).toEqual(x);
    const r = b.unary('tanh', hx);
    expectClose(b.download(r), ref.refUnary('tanh', f64(x)), TOL, 'tanh');
    const v = data(1);
    const hv = b.upload(v);
    const s = b.binary('mul', hx, [x.length], hv, [1], [x.length]);
    expectClose(b.download(s), ref.refBinary('mul', f64(x), [x.length], f64(v), [1], [x.length]), TOL, 'scalar broadcast');
    const hy = b.upload(y);
    const w = b.where(hx, [x.length], hx, [x.length], hy, [x.length], [x.length]);
    expectClose(b.download(w), ref.refWhere(f64(x), [x.length], f64(x), [x.length], f64(y), [x.length], [x.length]), TOL, 'where');
    for (const h of [hx, r, hv, s, hy, w]) b.release(h);
  });

  it('broadcast [3, 1, 1777] + [5, 1] (rows of the output cross layout rows), permute, reduce', () => {
    const a = data(3 * 1777);
    const c = data(5);
    const ha = b.upload(a);
    const hc = b.upload(c);
    const out = [3, 5, 1777];
    const s = b.binary('sub', ha, [3, 1, 1777], hc, [5, 1], out);
    expectClose(b.download(s), ref.refBinary('sub', f64(a), [3, 1, 1777], f64(c), [5, 1], out), TOL, 'broadcast');
    const sRef = ref.refBinary('sub', f64(a), [3, 1, 1777], f64(c), [5, 1], out);
    const p = b.permute(s, out, [2, 0, 1]);
    expectClose(b.download(p), ref.refPermute(sRef, out, [2, 0, 1]), TOL, 'permute');
    const r = b.reduce('max', s, out, [0, 2]);
    expectClose(b.download(r), ref.refReduce('max', sRef, out, [0, 2]), TOL, 'reduce max');
    const q = b.reduce('sum', s, out, [1]);
    expectClose(b.download(q), ref.refReduce('sum', sRef, out, [1]), TOL, 'reduce sum');
    for (const h of [ha, hc, s, p, r, q]) b.release(h);
  });

  it('matmul, conv2d, softmax, gather/scatterAdd, slice/padInto, concat with inputs spanning rows', () => {
    const a = data(1 * 67 * 71);
    const m = data(1 * 71 * 65);
    const [ha, hm] = [b.upload(a), b.upload(m)];
    const mm = b.matmul(ha, [1, 67, 71], hm, [1, 71, 65], false, false);
    expectClose(b.download(mm), ref.refMatmul(f64(a), [1, 67, 71], f64(m), [1, 71, 65], false, false), TOL, 'matmul');

    const xs = [1, 2, 53, 47];
    const ws = [3, 2, 3, 3];
    const x = data(sizeOf(xs));
    const w = data(sizeOf(ws));
    const [hx, hw] = [b.upload(x), b.upload(w)];
    const attrs = { stride: [1, 1], pad: [1, 1] } as const;
    const cv = b.conv2d(hx, xs, hw, ws, attrs);
    expectClose(b.download(cv), ref.refConv2d(f64(x), xs, f64(w), ws, attrs), TOL, 'conv2d');

    const sm = b.softmax(hm, 71 * 13, 5);
    expectClose(b.download(sm), ref.refSoftmax(f64(m), 71 * 13, 5), TOL, 'softmax');

    const idx = Int32Array.from({ length: 1500 }, (_, i) => (i * 37) % 923);
    const g = b.gather(hm, [923, 5], idx);
    expectClose(b.download(g), ref.refGather(f64(m), [923, 5], idx), TOL, 'gather');
    const sa = b.scatterAdd(g, [1500, 5], idx, 1000);
    const gRef = ref.refGather(f64(m), [923, 5], idx);
    expectClose(b.download(sa), ref.refScatterAdd(gRef, [1500, 5], idx, 1000), TOL, 'scatterAdd');

    const sl = b.slice(hx, xs, [0, 1, 2, 0], [1, 1, 50, 46]);
    expectClose(b.download(sl), ref.refSlice(f64(x), xs, [0, 1, 2, 0], [1, 1, 50, 46]), TOL, 'slice');
    const pi = b.padInto(sl, [1, 1, 50, 46], [0, 1, 2, 0], xs);
    expectClose(b.download(pi), ref.refPadInto(ref.refSlice(f64(x), xs, [0, 1, 2, 0], [1, 1, 50, 46]), [1, 1, 50, 46], [0, 1, 2, 0], xs), TOL, 'padInto');
    const cc = b.concat([hx, ha], [[xs[2] * xs[3] * 2], [67 * 71]], 0);
    expectClose(b.download(cc), ref.refConcat([f64(x), f64(a)], [[xs[2] * xs[3] * 2], [67 * 71]], 0), TOL, 'concat');
    for (const h of [ha, hm, mm, hx, hw, cv, sm, g, sa, sl, pi, cc]) b.release(h);
  });

  it('concat of more inputs than one kernel takes (grouped, then joined)', () => {
    const shapes = Array.from({ length: 10 }, (_, i) => [2, 1 + (i % 3)]);
    const xs = shapes.map((sh) => data(sizeOf(sh)));
    const hs = xs.map((x) => b.upload(x));
    const c = b.concat(hs, shapes, 1);
    expectClose(b.download(c), ref.refConcat(xs.map(f64), shapes, 1), TOL, 'concat x10');
    for (const h of [...hs, c]) b.release(h);
  });

  it('empty buffers: size-0 fill, download and release', () => {
    const e = b.fill(0, 1, 'float32');
    expect(b.download(e).length).toBe(0);
    b.release(e);
  });
});
