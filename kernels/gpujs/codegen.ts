/**
 * Source generation for the gpujs kernels. Every shape is baked into the kernel source as
 * literals (so loops have constant bounds, as GLSL requires, and the source is the cache key),
 * and all index math is written as single-assignment `const`s: GPU.js types a variable once,
 * and a reassigned index would flip between int and float in GLSL.
 *
 * Integer division is `floor((a + 0.5) / b)`: exact for integers a >= 0, b > 0 even where a GPU
 * computes a / b as a * (1 / b) and lands on 2.9999 for 9 / 3 (GPU.js's known accuracy issue).
 */
import { stridesOf, type Shape } from '../../lib/tensor/shape.js';
import type { GpuHandle } from './runtime.js';

/** floor(a / b) for integer-valued a >= 0 and integer b > 0. */
export const idiv = (a: string, b: number): string => (b === 1 ? `(${a})` : `Math.floor((${a} + 0.5) / ${b})`);

/** A float literal GPU.js reads back exactly (integers stay integers). */
export const num = (v: number): string => {
  if (Number.isNaN(v)) return '(0.0 / 0.0)';
  if (v === Infinity) return '3.4028234663852886e38 * 2.0';
  if (v === -Infinity) return '-3.4028234663852886e38 * 2.0';
  return Number.isInteger(v) ? `${v}.0` : `${v}`;
};

/**
 * Statements reading buffer `name` at flat index expression `idx` into const `out`.
 * The buffer's layout width decides the row/column split (none for a flat WebGPU buffer).
 */
export const readFlat = (out: string, name: string, idx: string, h: GpuHandle): string => {
  const w = h.layout.w;
  if (h.flat) return `  const ${out} = ${name}[0][${idx}];\n`;
  if (h.layout.h === 1) return `  const ${out} = ${name}[0][${idx}];\n`;
  return `  const ${out}_i = ${idx};\n  const ${out}_r = ${idiv(`${out}_i`, w)};\n  const ${out} = ${name}[${out}_r][${out}_i - ${out}_r * ${w}];\n`;
};

/** Statements splitting the flat index `j` of `shape` into consts `${p}0 .. ${p}{rank-1}`. */
export const coords = (p: string, j: string, shape: Shape): string => {
  let s = '';
  let rest = j;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i];
    if (i === 0) {
      s += `  const ${p}${i} = ${rest};\n`;
      break;
    }
    s += `  const ${p}q${i} = ${idiv(rest, d)};\n  const ${p}${i} = ${rest} - ${p}q${i} * ${d};\n`;
    rest = `${p}q${i}`;
  }
  return s;
};

/** Flat offset expression sum(coord_i * stride_i), skipping zero strides. */
export const offset = (terms: ReadonlyArray<readonly [string, number]>): string => {
  const parts = terms.filter(([, st]) => st !== 0).map(([c, st]) => (st === 1 ? `${c}` : `${c} * ${st}`));
  return parts.length ? parts.join(' + ') : '0';
};

/** Offset of `shape` read through coords `${p}i` of `outShape` (NumPy broadcasting). */
export const broadcastOffset = (p: string, shape: Shape, outShape: Shape): string => {
  const st = stridesOf(shape);
  const off = outShape.length - shape.length;
  return offset(outShape.map((_, i) => [`${p}${i}`, i < off || shape[i - off] === 1 ? 0 : st[i - off]] as const));
};

export const sameLayout = (a: GpuHandle, size: number): boolean => a.size === size;
