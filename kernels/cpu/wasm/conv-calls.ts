/**
 * The wasm convolutions (forward with an optional fused bias + ReLU epilogue, backward input,
 * backward filter) and the 2x2 stride-2 max pool, as the CPU backend calls them: operands copied
 * into the wasm memory, the job run on one thread or split, the result copied out.
 */
import type { Conv2dAttrs } from '../../../lib/backend/backend.js';
import { convParams } from '../conv-params.js';
import { isPointwise } from '../threads/job-split.js';
import { fits, run, runtimeOrThrow, splitBounds, threadsFor } from './calls.js';
import { wPackA } from './driver.js';
import { Arena, type WasmRuntime } from './runtime.js';

/** Threads and chunk bounds for a conv: over images when enough, else over `channels`; sets p[13]. */
const convPlan = (rt: WasmRuntime, p: number[], channels: number): { threads: number; bounds: number[]; n: number } => {
  const N = p[0];
  const flops = 2 * N * p[4] * p[1] * p[5] * p[6] * p[11] * p[12];
  const tImages = threadsFor(rt, flops, N);
  if (tImages > 1) return { threads: tImages, bounds: splitBounds(N, Math.min(N, tImages * 4), 1), n: N };
  const tCh = threadsFor(rt, flops, channels);
  if (tCh > 1) {
    p[13] = 1;
    return { threads: tCh, bounds: splitBounds(channels, Math.min(channels, tCh * 3), 1), n: channels };
  }
  return { threads: 1, bounds: [], n: N };
};

type ConvKind = 'conv2d' | 'conv2dBackwardInput' | 'conv2dBackwardFilter';
/** The fused forward epilogue: out = act(conv + bias[o]). */
export interface ConvEpilogue {
  readonly bias: Float32Array;
  readonly relu: boolean;
}

/** Copies the inputs in, runs `kind`, copies the result out (summing per-chunk partial dW); false when they do not fit. */
const conv = (
  kind: ConvKind,
  in0: Float32Array,
  in1: Float32Array,
  p: number[],
  outLen: number,
  channels: number,
  out: Float32Array,
  epi?: ConvEpilogue,
): boolean =>
  fits(() => {
    const rt = runtimeOrThrow();
    const plan = convPlan(rt, p, channels);
    const colLen = isPointwise(p) ? 0 : p[1] * p[5] * p[6] * p[11] * p[12];
    const mem = new Arena(rt);
    const A = mem.put(in0),
      B = mem.put(in1);
    // backward filter over images: one partial dW per chunk, added in chunk order (see wConvBackFilterPart)
    const split = plan.threads > 1 && plan.bounds.length > 2;
    const partials = kind === 'conv2dBackwardFilter' && p[13] === 0 && split ? plan.bounds.length / 2 : 1;
    const O = mem.alloc(outLen * partials);
    const outBytes = outLen * 4;
    const colBytes = Math.ceil((colLen * 4) / 64) * 64;
    const col = mem.alloc((colBytes / 4) * plan.threads);
    const bias = epi ? mem.put(epi.bias.subarray(0, p[4])) : 0;
    p.push(A, B, O, col, colBytes, outBytes, bias, epi?.relu ? 1 : 0);
    // forward over whole images: pack the weights once for every image and thread
    if (kind === 'conv2d' && p[13] === 0) {
      const K = p[1] * p[5] * p[6];
      const mPad = Math.ceil(p[4] / rt.shape.MR) * rt.shape.MR;
      const AP = mem.alloc(mPad * Math.max(1, K));
      wPackA(rt.main, p[4], K, B, K, 1, AP, mPad);
      p.push(AP, mPad);
    } else p.push(0, 0);
    run(rt, kind, p, plan.n, plan.threads, plan.bounds);
    const res = mem.view(O, outLen);
    for (let c = 1; c < partials; c++) {
      const part = mem.view(O + c * outBytes, outLen);
      for (let i = 0; i < outLen; i++) res[i] += part[i];
    }
    out.set(res);
  });

/**
 * x [N,C,H,W], w [O,C,KH,KW] -> out [N,O,OH,OW], with the fused bias (+ ReLU) epilogue when
 * `epi` is given; false when too big (see wasmMatmul).
 */
export function wasmConv2d(
  x: Float32Array,
  xShape: readonly number[],
  w: Float32Array,
  wShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
  epi?: ConvEpilogue,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return conv('conv2d', x, w, p, p[0] * p[4] * p[11] * p[12], p[4], out, epi);
}

/** dy [N,O,OH,OW], w [O,C,KH,KW] -> out = dx [N,C,H,W]; false when too big. */
export function wasmConv2dBackwardInput(
  dy: Float32Array,
  w: Float32Array,
  wShape: readonly number[],
  xShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return conv('conv2dBackwardInput', dy, w, p, p[0] * p[1] * p[2] * p[3], p[1], out);
}

/** x [N,C,H,W], dy [N,O,OH,OW] -> out = dw [O,C,KH,KW]; false when too big. */
export function wasmConv2dBackwardFilter(
  x: Float32Array,
  xShape: readonly number[],
  dy: Float32Array,
  wShape: readonly number[],
  attrs: Conv2dAttrs,
  out: Float32Array,
): boolean {
  const p = convParams(xShape, wShape, attrs);
  return conv('conv2dBackwardFilter', x, dy, p, p[4] * p[1] * p[5] * p[6], p[4], out);
}

/** True for the pool the wasm max-pool kernels cover: 2x2 window, stride 2, no padding. */
export const isMaxPool2x2 = (a: { readonly kernel: readonly number[]; readonly stride: readonly number[]; readonly pad: readonly number[] }): boolean =>
  a.kernel[0] === 2 && a.kernel[1] === 2 && a.stride[0] === 2 && a.stride[1] === 2 && a.pad[0] === 0 && a.pad[1] === 0;

/**
 * 2x2 stride-2 max pool: x [N,C,H,W] -> out [N,C,H>>1,W>>1]; with `dy` given, the backward
 * pass instead: out = dx [N,C,H,W]. Split over planes when big. False when too big for the
 * wasm memory (see wasmMatmul).
 */
export function wasmMaxPool2x2(x: Float32Array, xShape: readonly number[], dy: Float32Array | null, out: Float32Array): boolean {
  return fits(() => {
    const rt = runtimeOrThrow();
    const [N, C, H, W] = xShape;
    const planes = N * C;
    const mem = new Arena(rt);
    const X = mem.put(x.subarray(0, planes * H * W));
    const DY = dy ? mem.put(dy.subarray(0, planes * (H >> 1) * (W >> 1))) : 0;
    const O = mem.alloc(out.length);
    // memory-bound: split once the input is as big as a parallel GEMM's flop count
    const t = threadsFor(rt, x.length, planes);
    run(rt, 'maxPool2x2', [dy ? 1 : 0, H, W, X, DY, O], planes, t, t === 1 ? [] : splitBounds(planes, t * 4, 1));
    out.set(mem.view(O, out.length));
  });
}
