/**
 * Packed, register-tiled GEMM for GL (the fast path of matmul and the three convolutions).
 *
 * Why: the plain kernels compute one output per thread and fetch two single-float texels per
 * multiply-add; on GL a texel fetch (address math + sampler) costs far more than the FMA. Here
 *   1. `packOperand` gathers each operand into an RGBA float texture (GPU.js ArrayTexture(4)):
 *      logical rows of K values stored 4 per texel along K, so one fetch brings 4 values;
 *   2. `gemmPacked` gives each thread a 4x4 output block, written as four RGBA texels through a
 *      GPU.js kernel map (one draw into four color attachments, WEBGL_draw_buffers): per step
 *      it fetches 4 texels of X rows and 4 of Y rows and does 64 multiply-adds (16 dot
 *      products) from registers, 8 FMAs per fetch instead of 1/2 (a 2x2 block in one texel,
 *      tfjs-webgl's packed matmul, gets 4);
 *   3. `unpackGemm` writes the blocks back into the backend's single-float layout in whatever
 *      element order the caller needs (NCHW for convolutions), summing split-K partials and
 *      applying an optional epilogue (bias + ReLU) in the same pass.
 * The GEMM is C = X . Y^T: X [batch, R, K] and Y [batch, Q, K] are both "rows of K", so a
 * convolution is a GEMM whose packing kernel does the im2col gather (no unpacked im2col
 * buffer ever exists).
 *
 * Split-K: when too few 4x4 blocks exist to fill the device (bwd-filter: 128 x 1152 outputs
 * over K = 16384), K is cut into S chunks computed by separate threads and summed by the unpack.
 *
 * Layouts (every index stays below 2^23, where GLSL float math on integers is exact):
 *   packed operand: each row is S sub-rows of kc4 texels; rpl sub-rows side by side per line.
 *   GEMM output: block (b, i, j, s) at x = g * (nb * S) + s * nb + j, y = (b * mb + i) - g * H,
 *   with g = floor((b * mb + i) / H): block rows fold into column groups past H lines.
 */
import { idiv } from './codegen.js';
import type { GpuHandle, Runtime } from './runtime.js';

/** Widest line of a packed texture (texels); a GL texture holds at least 4096. */
const PACK_W = 4096;
/**
 * Tallest texture we lay out: GL MAX_TEXTURE_SIZE is 16384 on llvmpipe and >= 16384 on GPUs,
 * but 8192 on Chromium's SwiftShader WebGL2 (a page without a GPU), so 8192.
 */
const MAX_H = 8192;
/** Aim for at least this many output threads (llvmpipe shades 64x64 tiles, one per core at a time). */
const TARGET_THREADS = 16384;
/** Shortest split-K chunk, in texels (4 values each). */
const MIN_CHUNK = 32;

/** One operand of the GEMM: `batch` matrices of `rows` x `depth`; `elem` reads element (b, r, k). */
export interface OperandSource {
  readonly batch: number;
  readonly rows: number;
  readonly depth: number;
  readonly params: readonly string[];
  readonly args: readonly GpuHandle[];
  /**
   * Statements that define `const ${out}` = element (b, r, k) of the operand (b, r, k are
   * in range when these run; the gather may still land outside an image: the caller writes
   * that test into its statements and yields 0.0 there).
   */
  readonly elem: (out: string, b: string, r: string, k: string) => string;
  /** Statements run once per texel before the four elements (e.g. splitting the row index). */
  readonly rowPrelude?: (b: string, r: string) => string;
}

export interface GemmPlan {
  /** chunks of K and texels per chunk. */
  readonly S: number;
  readonly kc4: number;
}

export interface Packed {
  readonly tex: GpuHandle;
  readonly batch: number;
  /** rows padded to a multiple of 4 (a 4x4 block reads four rows). */
  readonly rowsPadded: number;
  readonly plan: GemmPlan;
  /** sub-rows per line. */
  readonly rpl: number;
}

export interface GemmOut {
  /** one RGBA texture per row of the 4x4 blocks (row r of block (i, j) in texs[r]). */
  readonly texs: readonly GpuHandle[];
  readonly batch: number;
  readonly mb: number;
  readonly nb: number;
  readonly S: number;
  /** lines per column group of the output layout */
  readonly H: number;
}

/** S and kc4 for a GEMM of `blocks` 4x4 output blocks over depth K (packFits and outFits say whether it fits). */
export const planGemm = (blocks: number, depth: number): GemmPlan => {
  const k4 = Math.max(1, Math.ceil(depth / 4));
  const minS = Math.ceil(k4 / PACK_W);
  const want = Math.ceil(TARGET_THREADS / Math.max(1, blocks));
  const S = Math.max(minS, Math.min(want, Math.floor(k4 / MIN_CHUNK)), 1);
  return { S, kc4: Math.ceil(k4 / S) };
};

/** Output rows and columns per thread: a 4x4 block, written as four RGBA texels (one per row). */
const T = 4;
const tileUp = (n: number) => Math.ceil(n / T) * T;

/** Whether a packed operand of these dimensions fits the texture limits. */
export const packFits = (batch: number, rows: number, plan: GemmPlan): boolean => {
  const rpl = Math.floor(PACK_W / plan.kc4);
  const sub = batch * tileUp(rows) * plan.S;
  return Math.ceil(sub / rpl) <= MAX_H && sub < 2 ** 22;
};

/** Whether the GEMM output layout fits (column groups of nb * S texels). */
export const outFits = (batch: number, m: number, n: number, S: number): boolean => {
  const mb = Math.ceil(m / T);
  const nb = Math.ceil(n / T);
  const groups = Math.ceil((batch * mb) / MAX_H);
  return groups * nb * S <= MAX_H && batch * mb * nb * S < 2 ** 22;
};

/** Gathers an operand into the packed RGBA layout (zeros past its rows and depth). */
export const packOperand = (rt: Runtime, src: OperandSource, plan: GemmPlan): Packed => {
  const { S, kc4 } = plan;
  const rp = tileUp(src.rows);
  const rpl = Math.min(Math.floor(PACK_W / kc4), src.batch * rp * S);
  const sub = src.batch * rp * S;
  const w = rpl * kc4;
  // at least 2 lines: GPU.js lays a 1-line output out as a near-square texture, and the GEMM
  // samples these textures at coordinates computed from [w, h]
  const h = Math.max(2, Math.ceil(sub / rpl));
  let s = `  const cg = ${idiv('this.thread.x', kc4)};\n  const kk = this.thread.x - cg * ${kc4};\n`;
  s += `  const sr = this.thread.y * ${rpl} + cg;\n`;
  s += `  const rq = ${idiv('sr', S)};\n  const sc = sr - rq * ${S};\n`;
  s += `  const pb = ${idiv('rq', rp)};\n  const pr = rq - pb * ${rp};\n`;
  s += `  const k0 = (sc * ${kc4} + kk) * 4;\n`;
  s += '  let v0 = 0.0;\n  let v1 = 0.0;\n  let v2 = 0.0;\n  let v3 = 0.0;\n';
  s += `  if (sr < ${sub} && pr < ${src.rows}) {\n`;
  s += src.rowPrelude?.('pb', 'pr') ?? '';
  for (let l = 0; l < 4; l++) {
    s += `  const kl${l} = k0 + ${l};\n  if (kl${l} < ${src.depth}) {\n`;
    s += src.elem(`e${l}`, 'pb', 'pr', `kl${l}`);
    s += `  v${l} = e${l};\n  }\n`;
  }
  s += '  }\n  return [v0, v1, v2, v3];';
  const tex = rt.runRaw(src.params, s, [w, h], src.args, 'Array(4)');
  return { tex, batch: src.batch, rowsPadded: rp, plan, rpl };
};

/** Statements placing sub-row `sub` of a packed operand at (`${p}y`, `${p}x`). */
const subRowAt = (p: string, sub: string, rpl: number, kc4: number): string =>
  `  const ${p}y = ${idiv(sub, rpl)};\n  const ${p}x = (${sub} - ${p}y * ${rpl}) * ${kc4};\n`;

// The kernel-map outputs for rows 1..3 of a block (row 0 is the kernel's own result): identity
// functions GPU.js turns into extra color attachments of the same draw. Sources as strings: a
// bundler's minifier would rename real functions, and GPU.js finds sub-kernel calls by name.
const GEMM_ROWS = [1, 2, 3].map((r) => `function gemmRow${r}(v) {\n  return v;\n}`);

/**
 * C[b] = X[b] . Y[b]^T over 4x4 blocks: batch is max of the operands' (a batch of 1 broadcasts).
 * m and n are the real row counts (X.rows, Y.rows). Per step a thread fetches 4 texels of X rows
 * and 4 of Y rows and does 64 multiply-adds from registers (8 per fetch).
 */
export const gemmPacked = (rt: Runtime, X: Packed, Y: Packed, m: number, n: number): GemmOut => {
  const { S, kc4 } = X.plan;
  const batch = Math.max(X.batch, Y.batch);
  const mb = Math.ceil(m / T);
  const nb = Math.ceil(n / T);
  const rowsOfBlocks = batch * mb;
  const H = Math.min(rowsOfBlocks, MAX_H);
  const groups = Math.ceil(rowsOfBlocks / H);
  const gw = nb * S;
  let s = `  const g = ${idiv('this.thread.x', gw)};\n  const gx = this.thread.x - g * ${gw};\n`;
  s += `  const bi = g * ${H} + this.thread.y;\n`;
  s += `  if (bi >= ${rowsOfBlocks}) {\n  gemmRow1([0.0, 0.0, 0.0, 0.0]);\n  gemmRow2([0.0, 0.0, 0.0, 0.0]);\n  gemmRow3([0.0, 0.0, 0.0, 0.0]);\n  return [0.0, 0.0, 0.0, 0.0];\n  }\n`;
  s += `  const sc = ${idiv('gx', nb)};\n  const bj = gx - sc * ${nb};\n`;
  s += `  const bb = ${idiv('bi', mb)};\n  const i = bi - bb * ${mb};\n`;
  const xb = X.batch === 1 ? '0' : 'bb';
  const yb = Y.batch === 1 ? '0' : 'bb';
  // Texel fetches through native GLSL samplers at precomputed coordinates: GPU.js's own
  // X[y][x] re-derives the texel from a flat index (an integer mod and divide per fetch).
  const [xw, xh] = [X.tex.layout.w, X.tex.layout.h];
  const [yw, yh] = [Y.tex.layout.w, Y.tex.layout.h];
  for (let r = 0; r < T; r++) {
    s +=
      `  const xs${r} = (${xb} * ${X.rowsPadded} + i * ${T} + ${r}) * ${S} + sc;\n` +
      subRowAt(`x${r}`, `xs${r}`, X.rpl, kc4) +
      `  const x${r}v = (x${r}y + 0.5) * ${1 / xh};\n  const x${r}u = (x${r}x + 0.5) * ${1 / xw};\n`;
    s +=
      `  const ys${r} = (${yb} * ${Y.rowsPadded} + bj * ${T} + ${r}) * ${S} + sc;\n` +
      subRowAt(`y${r}`, `ys${r}`, Y.rpl, kc4) +
      `  const y${r}v = (y${r}y + 0.5) * ${1 / yh};\n  const y${r}u = (y${r}x + 0.5) * ${1 / yw};\n`;
  }
  for (let r = 0; r < T; r++) for (let c = 0; c < T; c++) s += `  let c${r}${c} = 0.0;\n`;
  s += `  for (let kk = 0; kk < ${kc4}; kk++) {\n  const du = kk * ${1 / xw};\n  const dv = kk * ${1 / yw};\n`;
  for (let r = 0; r < T; r++) s += `  const a${r} = gemmX(x${r}u + du, x${r}v);\n`;
  for (let c = 0; c < T; c++) s += `  const b${c} = gemmY(y${c}u + dv, y${c}v);\n`;
  const dot = (a: string, b: string) => `${a}[0] * ${b}[0] + ${a}[1] * ${b}[1] + ${a}[2] * ${b}[2] + ${a}[3] * ${b}[3]`;
  for (let r = 0; r < T; r++) for (let c = 0; c < T; c++) s += `  c${r}${c} += ${dot(`a${r}`, `b${c}`)};\n`;
  s += '  }\n';
  const row = (r: number) => `[c${r}0, c${r}1, c${r}2, c${r}3]`;
  s += `  gemmRow1(${row(1)});\n  gemmRow2(${row(2)});\n  gemmRow3(${row(3)});\n  return ${row(0)};`;
  // GLSL ES 1.00 (WebGL1: headless-gl) samples with texture2D, GLSL ES 3.00 (WebGL2: browsers) with texture
  const fetch = (name: string, tex: string) =>
    `vec4 ${name}(float u, float v) {\n#if __VERSION__ >= 300\n  return texture(${tex}, vec2(u, v));\n#else\n  return texture2D(${tex}, vec2(u, v));\n#endif\n}`;
  const natives = [
    { name: 'gemmX', source: fetch('gemmX', 'user_X') },
    { name: 'gemmY', source: fetch('gemmY', 'user_Y') },
  ];
  const texs = rt.runMultiRaw(['X', 'Y'], s, [groups * gw, H], [X.tex, Y.tex], GEMM_ROWS, natives);
  return { texs, batch, mb, nb, S, H };
};

/**
 * Writes C back into the single-float layout: `place` gives statements that, from the flat
 * output index `j`, define consts `ub`, `ur`, `uc` (batch, row of X, row of Y) for that cell;
 * `epilogue` (optional) gets `acc` and returns statements ending in `return`.
 */
export const unpackGemm = (
  rt: Runtime,
  out: GemmOut,
  outSize: number,
  place: string,
  epilogue?: { params: readonly string[]; args: readonly GpuHandle[]; code: string },
): GpuHandle => {
  const { mb, nb, S, H } = out;
  let s = place;
  s += `  const bi = ub * ${mb} + ${idiv('ur', T)};\n  const ri = ur - ${idiv('ur', T)} * ${T};\n`;
  s += `  const bj = ${idiv('uc', T)};\n  const cj = uc - bj * ${T};\n`;
  s += `  const g = ${idiv('bi', H)};\n  const ty = bi - g * ${H};\n  const tx0 = g * ${nb * S} + bj;\n`;
  s += '  let acc = 0.0;\n';
  s += `  for (let sc = 0; sc < ${S}; sc++) {\n  const tx = tx0 + sc * ${nb};\n`;
  s += '  const t = ri === 0 ? P0[ty][tx] : (ri === 1 ? P1[ty][tx] : (ri === 2 ? P2[ty][tx] : P3[ty][tx]));\n';
  s += '  acc += cj === 0 ? t[0] : (cj === 1 ? t[1] : (cj === 2 ? t[2] : t[3]));\n  }\n';
  s += epilogue ? epilogue.code : '  return acc;';
  return rt.run(['P0', 'P1', 'P2', 'P3', ...(epilogue?.params ?? [])], s, outSize, [...out.texs, ...(epilogue?.args ?? [])]);
};
