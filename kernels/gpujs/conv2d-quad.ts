/**
 * The three convolutions with four adjacent outputs per thread (Runtime.run4, WebGPU), so each
 * value a thread reads serves four multiply-adds where the direct kernels read two values per
 * multiply-add:
 *   forward:         out[n, o, oy, ox..ox+3]: one filter tap, four input pixels of a row
 *   backward-input:  dx[n, c, iy, ix..ix+3]:   one filter tap, four dy pixels of a row (stride 1)
 *   backward-filter: dw at four consecutive flat cells of one filter o: one dy value, four x taps
 * Each returns null where its shape does not split into fours (the caller runs the direct kernel).
 * Each reads a zero-padded copy of its image (padInto: one cheap pass; columns for forward and
 * backward-input, all sides for backward-filter), so the inner loop has no bounds test; the
 * out-of-image rows left are skipped with a branch, never read: WebGPU clamps an out-of-range
 * read to some element of the buffer, and 0 * that element is NaN when it is infinite. (A padded
 * zero does meet the filter: an infinite weight gives NaN where the reference skips the tap and
 * gives an infinity; both are non-finite, which the validate stage reports.)
 * Backward-input reads the filter transposed to [kh, kw, c, o] (contiguous in its filter loop:
 * 1.17x on SwiftShader; the same transpose gave the forward pass nothing, so it has none).
 */
import type { Conv2dAttrs, ConvActivation } from '../../lib/backend/backend.js';
import type { Shape } from '../../lib/tensor/shape.js';
import { coords, readFlat } from './codegen.js';
import { padInto } from './pad-into.js';
import { permute } from './permute.js';
import type { GpuHandle, Runtime } from './runtime.js';

const QUAD = [0, 1, 2, 3] as const;
const zeros = QUAD.map((i) => `  let s${i} = 0.0;\n`).join('');
const result = '  return [s0, s1, s2, s3];';

export const conv2dQuad = (
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
  if (!rt.quadOutputs || ow % 4 !== 0) return null;
  // the input with its columns zero-padded, so the channel loop (the long one, inside the taps)
  // reads four pixels with no bounds test; rows are tested once per tap row
  const wp = wd + 2 * pw;
  const xp = pw > 0 ? padInto(rt, x, xShape, [0, 0, 0, pw], [n, c, h, wp]) : x;
  let s = coords('o', 'q', [n, o, oh, ow]) + zeros; // o3: the first of four columns
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const iy = o2 * ${sh} - ${ph} + ky;\n`;
  s += `  if (iy >= 0 && iy < ${h}) {\n  for (let kx = 0; kx < ${kw}; kx++) {\n  const ix = o3 * ${sw} + kx;\n`;
  s += `  for (let c = 0; c < ${c}; c++) {\n  const row = ((o0 * ${c} + c) * ${h} + iy) * ${wp} + ix;\n`;
  s += readFlat('wv', 'w', `((o1 * ${c} + c) * ${kh} + ky) * ${kw} + kx`, w);
  for (const i of QUAD) s += readFlat(`xv${i}`, 'x', i === 0 ? 'row' : `row + ${i * sw}`, xp) + `  s${i} += xv${i} * wv;\n`;
  s += '  }\n  }\n  }\n  }\n';
  const size = n * o * oh * ow;
  let y: GpuHandle;
  if (!epi) y = rt.run4(['x', 'w'], s + result, size, [xp, w]);
  else {
    s += readFlat('bv', 'b', 'o1', epi.bias) + QUAD.map((i) => `  const y${i} = s${i} + bv;\n`).join('');
    // the direct kernel's ReLU (a NaN stays NaN; WGSL's max(NaN, 0) may give either)
    const out = (i: number) => (epi.act === 'relu' ? `y${i} < 0.0 ? 0.0 : y${i}` : `y${i}`);
    y = rt.run4(['x', 'w', 'b'], s + `  return [${QUAD.map(out).join(', ')}];`, size, [xp, w, epi.bias]);
  }
  if (xp !== x) rt.release(xp);
  return y;
};

export const conv2dBackwardInputQuad = (
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
  // with a column stride, the four pixels of a thread hit different filter columns
  if (!rt.quadOutputs || wd % 4 !== 0 || sw !== 1) return null;
  // dy with zero columns on both sides, so the filter loop reads four pixels with no bounds test:
  // column ox = ix + pw - kx of dy sits at ox + left in the padded rows
  const left = Math.max(0, kw - 1 - pw);
  const right = Math.max(0, wd + pw - ow);
  const owp = ow + left + right;
  const dyp = left + right > 0 ? padInto(rt, dy, dyShape, [0, 0, 0, left], [n, o, oh, owp]) : dy;
  // the filter as [kh, kw, c, o], so the filter loop reads it contiguously
  const wt = permute(rt, w, wShape, [2, 3, 1, 0]);
  let s = coords('i', 'q', [n, c, h, wd]) + zeros; // i3: the first of four columns
  s += `  for (let ky = 0; ky < ${kh}; ky++) {\n  const ty = i2 + ${ph} - ky;\n  const oy = Math.floor((ty + 0.5) / ${sh});\n`;
  s += `  if (ty >= 0 && oy * ${sh} === ty && oy < ${oh}) {\n  for (let kx = 0; kx < ${kw}; kx++) {\n  const ox = i3 + ${pw + left} - kx;\n`;
  s += `  const wt0 = ((ky * ${kw} + kx) * ${c} + i1) * ${o};\n  for (let f = 0; f < ${o}; f++) {\n`;
  s += readFlat('wv', 'w', 'wt0 + f', wt);
  s += `  const row = ((i0 * ${o} + f) * ${oh} + oy) * ${owp} + ox;\n`;
  for (const i of QUAD) s += readFlat(`gv${i}`, 'dy', i === 0 ? 'row' : `row + ${i}`, dyp) + `  s${i} += gv${i} * wv;\n`;
  s += '  }\n  }\n  }\n  }\n';
  const dx = rt.run4(['dy', 'w'], s + result, n * c * h * wd, [dyp, wt]);
  if (dyp !== dy) rt.release(dyp);
  rt.release(wt);
  return dx;
};

export const conv2dBackwardFilterQuad = (
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
  // four consecutive cells share their filter o when a filter's c * kh * kw cells split into fours
  if (!rt.quadOutputs || (c * kh * kw) % 4 !== 0) return null;
  // x zero-padded on all four sides: every tap of every output pixel is inside it, so the
  // reduction loop reads with no bounds test, at an offset from a per-cell base
  const [hp, wp] = [h + 2 * ph, wd + 2 * pw];
  const xp = ph + pw > 0 ? padInto(rt, x, xShape, [0, 0, ph, pw], [n, c, hp, wp]) : x;
  let s = '';
  for (const i of QUAD) {
    s += `  const q${i} = q + ${i};\n` + coords(`f${i}_`, `q${i}`, [o, c, kh, kw]); // f{i}_0 filter, _1 channel, _2 ky, _3 kx
    s += `  const base${i} = (f${i}_1 * ${hp} + f${i}_2) * ${wp} + f${i}_3;\n`;
  }
  s += zeros + `  for (let b = 0; b < ${n}; b++) {\n  for (let oy = 0; oy < ${oh}; oy++) {\n`;
  s += `  const at = b * ${c * hp * wp} + oy * ${sh * wp};\n  for (let ox = 0; ox < ${ow}; ox++) {\n  const px = at + ox * ${sw};\n`;
  s += readFlat('gv', 'dy', `((b * ${o} + f0_0) * ${oh} + oy) * ${ow} + ox`, dy);
  for (const i of QUAD) s += readFlat(`xv${i}`, 'x', `px + base${i}`, xp) + `  s${i} += gv * xv${i};\n`;
  s += '  }\n  }\n  }\n';
  const dw = rt.run4(['x', 'dy'], s + result, o * c * kh * kw, [xp, dy]);
  if (xp !== x) rt.release(xp);
  return dw;
};
