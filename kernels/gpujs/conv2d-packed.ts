/**
 * The three convolutions as packed GEMMs (packed-gemm.ts) on GL: the packing kernels do the
 * im2col gather straight from the NCHW buffers (out-of-image taps read as 0), so no unpacked
 * column buffer exists, and the unpack writes NCHW (or OIHW) with the optional bias + ReLU.
 *   forward:         rows (n, oy, ox) x taps (c, ky, kx)  .  filters o x taps
 *   backward-input:  rows (n, iy, ix) x (o, ky, kx) of dy  .  channels c x (o, ky, kx) of w
 *   backward-filter: filters o x (n, oy, ox) of dy         .  taps (c, ky, kx) x (n, oy, ox) of x
 * Each returns null when its layout would not fit the texture limits (the caller then runs the
 * direct kernel).
 */
import type { Conv2dAttrs, ConvActivation } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, idiv, readFlat } from './codegen.js';
import { gemmPacked, outFits, packFits, packOperand, planGemm, unpackGemm, type OperandSource } from './packed-gemm.js';
import type { GpuHandle, Runtime } from './runtime.js';

/** Below this many multiply-adds the direct kernel wins (fewer launches). */
export const PACKED_CONV_MIN_MACS = 1 << 18;

/** Statements splitting `v` into consts p0..p{n-1} over `dims` (row-major). */
const split = (p: string, v: string, dims: readonly number[]): string => coords(p, v, dims);

const gemm = (
  rt: Runtime,
  X: OperandSource,
  Y: OperandSource,
  outSize: number,
  place: string,
  epi?: { bias: GpuHandle; act: ConvActivation },
): GpuHandle | null => {
  const m = X.rows;
  const n = Y.rows;
  const plan = planGemm(Math.ceil(m / 4) * Math.ceil(n / 4), X.depth);
  if (!packFits(1, m, plan) || !packFits(1, n, plan) || !outFits(1, m, n, plan.S)) return null;
  const xp = packOperand(rt, X, plan);
  const yp = packOperand(rt, Y, plan);
  const c = gemmPacked(rt, xp, yp, m, n);
  rt.release(xp.tex);
  rt.release(yp.tex);
  const epilogue = epi && {
    params: ['bias'],
    args: [epi.bias],
    code: readFlat('bv', 'bias', 'uc', epi.bias) + (epi.act === 'relu' ? '  const y = acc + bv;\n  return y < 0.0 ? 0.0 : y;' : '  return acc + bv;'),
  };
  const out = unpackGemm(rt, c, outSize, place, epilogue);
  for (const h of c.texs) rt.release(h);
  return out;
};

export const conv2dPacked = (
  rt: Runtime,
  x: GpuHandle,
  xShape: Shape,
  w: GpuHandle,
  wShape: Shape,
  oh: number,
  ow: number,
  attrs: Conv2dAttrs,
  epi?: { bias: GpuHandle; act: ConvActivation },
): GpuHandle | null => {
  const [n, c, h, wd] = xShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const taps = c * kh * kw;
  const X: OperandSource = {
    batch: 1,
    rows: n * oh * ow,
    depth: taps,
    params: ['x'],
    args: [x],
    rowPrelude: (_b, r) => split('q', r, [n, oh, ow]) + `  const qy = q1 * ${sh} - ${ph};\n  const qx = q2 * ${sw} - ${pw};\n`,
    elem: (out, _b, _r, k) => {
      let s = split(`${out}t`, k, [c, kh, kw]);
      s += `  const ${out}y = qy + ${out}t1;\n  const ${out}x = qx + ${out}t2;\n  let ${out} = 0.0;\n`;
      s += `  if (${out}y >= 0 && ${out}y < ${h} && ${out}x >= 0 && ${out}x < ${wd}) {\n`;
      s += readFlat(`${out}v`, 'x', `((q0 * ${c} + ${out}t0) * ${h} + ${out}y) * ${wd} + ${out}x`, x);
      return s + `  ${out} = ${out}v;\n  }\n`;
    },
  };
  const Y: OperandSource = {
    batch: 1,
    rows: o,
    depth: taps,
    params: ['w'],
    args: [w],
    elem: (out, _b, r, k) => readFlat(out, 'w', `${r} * ${taps} + ${k}`, w),
  };
  const place = split('p', 'j', [n, o, oh, ow]) + `  const ub = 0;\n  const ur = (p0 * ${oh} + p2) * ${ow} + p3;\n  const uc = p1;\n`;
  return gemm(rt, X, Y, n * o * oh * ow, place, epi);
};

export const conv2dBackwardInputPacked = (
  rt: Runtime,
  dy: GpuHandle,
  dyShape: Shape,
  w: GpuHandle,
  wShape: Shape,
  xShape: Shape,
  attrs: Conv2dAttrs,
): GpuHandle | null => {
  const [n, c, h, wd] = xShape;
  const [, , oh, ow] = dyShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const depth = o * kh * kw;
  const X: OperandSource = {
    batch: 1,
    rows: n * h * wd,
    depth,
    params: ['dy'],
    args: [dy],
    rowPrelude: (_b, r) => split('q', r, [n, h, wd]),
    elem: (out, _b, _r, k) => {
      let s = split(`${out}t`, k, [o, kh, kw]);
      s += `  const ${out}ty = q1 + ${ph} - ${out}t1;\n  const ${out}tx = q2 + ${pw} - ${out}t2;\n`;
      s += `  const ${out}y = ${idiv(`Math.max(${out}ty, 0)`, sh)};\n  const ${out}x = ${idiv(`Math.max(${out}tx, 0)`, sw)};\n  let ${out} = 0.0;\n`;
      s += `  if (${out}ty >= 0 && ${out}tx >= 0 && ${out}y * ${sh} === ${out}ty && ${out}x * ${sw} === ${out}tx && ${out}y < ${oh} && ${out}x < ${ow}) {\n`;
      s += readFlat(`${out}v`, 'dy', `((q0 * ${o} + ${out}t0) * ${oh} + ${out}y) * ${ow} + ${out}x`, dy);
      return s + `  ${out} = ${out}v;\n  }\n`;
    },
  };
  // w [O, C, KH, KW] read as channel rows over (o, ky, kx)
  const Y: OperandSource = {
    batch: 1,
    rows: c,
    depth,
    params: ['w'],
    args: [w],
    elem: (out, _b, r, k) => split(`${out}t`, k, [o, kh * kw]) + readFlat(out, 'w', `(${out}t0 * ${c} + ${r}) * ${kh * kw} + ${out}t1`, w),
  };
  const place = split('p', 'j', [n, c, h, wd]) + `  const ub = 0;\n  const ur = (p0 * ${h} + p2) * ${wd} + p3;\n  const uc = p1;\n`;
  return gemm(rt, X, Y, n * c * h * wd, place);
};

export const conv2dBackwardFilterPacked = (
  rt: Runtime,
  x: GpuHandle,
  xShape: Shape,
  dy: GpuHandle,
  dyShape: Shape,
  wShape: Shape,
  attrs: Conv2dAttrs,
): GpuHandle | null => {
  const [n, c, h, wd] = xShape;
  const [, , oh, ow] = dyShape;
  const [o, , kh, kw] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const depth = n * oh * ow;
  const taps = c * kh * kw;
  const X: OperandSource = {
    batch: 1,
    rows: o,
    depth,
    params: ['dy'],
    args: [dy],
    elem: (out, _b, r, k) => split(`${out}t`, k, [n, oh * ow]) + readFlat(out, 'dy', `(${out}t0 * ${o} + ${r}) * ${oh * ow} + ${out}t1`, dy),
  };
  const Y: OperandSource = {
    batch: 1,
    rows: taps,
    depth,
    params: ['x'],
    args: [x],
    rowPrelude: (_b, r) => split('q', r, [c, kh, kw]),
    elem: (out, _b, _r, k) => {
      let s = split(`${out}t`, k, [n, oh, ow]);
      s += `  const ${out}y = ${out}t1 * ${sh} - ${ph} + q1;\n  const ${out}x = ${out}t2 * ${sw} - ${pw} + q2;\n  let ${out} = 0.0;\n`;
      s += `  if (${out}y >= 0 && ${out}y < ${h} && ${out}x >= 0 && ${out}x < ${wd}) {\n`;
      s += readFlat(`${out}v`, 'x', `((${out}t0 * ${c} + q0) * ${h} + ${out}y) * ${wd} + ${out}x`, x);
      return s + `  ${out} = ${out}v;\n  }\n`;
    },
  };
  const place = split('p', 'j', [o, taps]) + '  const ub = 0;\n  const ur = p0;\n  const uc = p1;\n';
  return gemm(rt, X, Y, o * taps, place);
};
