/**
 * The gpujs backend's batched Sinkhorn (Backend.sinkhornBatched, scaling form, Alg. 1) on
 * device buffers: nothing is read back, the plans stay on the device for the ops that follow.
 * P problems of one shape [P, n, m]; every step is a kernel with one thread per output entry:
 *   gibbs:  K = exp(-lambda C), K~ = diag(1 ./ (a + guard)) K            (once)
 *   col:    w[p, j] = b[p, j] / (sum_i K[p, i, j] u[p, i] + guard)     (b ./ K^T u)
 *   row:    u[p, i] = 1 / (sum_j K~[p, i, j] w[p, j] + guard)           (1 ./ K~ w; 0 where a_i + guard = 0)
 *   plan:   X = diag(u) K diag(v) with v from a last col step.
 * With tolerance 0 (ELIM's default) every problem runs exactly T iterations, the relative
 * change of u is taken from the last step, and nothing is read back. With tolerance > 0 a [P, 3]
 * state (iterations, change, active) is updated on the device each iteration and a problem that
 * met the test keeps its u, as the host solver's early stop does; every CHECK_EVERY iterations
 * the state (3P values) is read back and the loop ends once no problem is active (launching all
 * T iterations instead cost ~1000x at T = 1000 on llvmpipe: bench:ot 'converge').
 * float32 throughout: compare with float32 tolerances.
 */
import type { SinkhornAttrs, SinkhornBatchedResult } from '../../lib/backend/backend.js';
import { idiv, num, readFlat } from './codegen.js';
import { fill } from './fill.js';
import type { GpuHandle, Runtime } from './runtime.js';

const gibbs = (rt: Runtime, cost: GpuHandle, t: SinkhornAttrs): GpuHandle =>
  rt.run(['c'], readFlat('cv', 'c', 'j', cost) + `  return Math.exp(${num(-t.lambda)} * cv);`, cost.size, [cost]);

const scaleRows = (rt: Runtime, K: GpuHandle, a: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  let s = `  const r = ${idiv('j', t.m)};\n` + readFlat('av', 'a', 'r', a) + readFlat('kv', 'k', 'j', K);
  s += `  const ag = av + ${num(t.guard)};\n  if (ag == 0.0) { return 0.0; }\n  return kv / ag;`;
  return rt.run(['k', 'a'], s, K.size, [K, a]);
};

/** w = b ./ (K^T u + guard), [P, m]. */
const colStep = (rt: Runtime, K: GpuHandle, u: GpuHandle, b: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  const { n, m } = t;
  let s = `  const p = ${idiv('j', m)};\n  const jj = j - p * ${m};\n  let acc = 0.0;\n`;
  s +=
    `  for (let i = 0; i < ${n}; i++) {\n` +
    readFlat('kv', 'k', `(p * ${n} + i) * ${m} + jj`, K) +
    readFlat('uv', 'u', `p * ${n} + i`, u) +
    '  acc += kv * uv;\n  }\n';
  s += readFlat('bv', 'b', 'j', b) + `  return bv / (acc + ${num(t.guard)});`;
  return rt.run(['k', 'u', 'b'], s, t.count * m, [K, u, b]);
};

/** u = 1 ./ (K~ w + guard), [P, n]; 0 where a_i + guard = 0 (the limit a_i / (K w)_i). */
const rowStep = (rt: Runtime, Kt: GpuHandle, w: GpuHandle, a: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  const { n, m } = t;
  let s = `  const p = ${idiv('j', n)};\n` + readFlat('av', 'a', 'j', a) + `  if (av + ${num(t.guard)} == 0.0) { return 0.0; }\n  let acc = 0.0;\n`;
  s += `  for (let q = 0; q < ${m}; q++) {\n` + readFlat('kv', 'k', `j * ${m} + q`, Kt) + readFlat('wv', 'w', `p * ${m} + q`, w) + '  acc += kv * wv;\n  }\n';
  s += `  return 1.0 / (acc + ${num(t.guard)});`;
  return rt.run(['k', 'w', 'a'], s, t.count * n, [Kt, w, a]);
};

/** Statements: `change` = max_i |u - uOld| / (max_i |u| or 1) of problem p. */
const changeOf = (u: GpuHandle, uOld: GpuHandle, n: number): string =>
  `  let diff = 0.0;\n  let umax = 0.0;\n  for (let i = 0; i < ${n}; i++) {\n` +
  readFlat('un', 'uN', `p * ${n} + i`, u) +
  readFlat('uo', 'uP', `p * ${n} + i`, uOld) +
  '  diff = Math.max(diff, Math.abs(un - uo));\n  umax = Math.max(umax, Math.abs(un));\n  }\n  let den = umax;\n  if (den == 0.0) { den = 1.0; }\n  const change = diff / den;\n';

/** [P, 2] = (T, change of the last step): the stats when every problem ran T iterations. */
const finalStats = (rt: Runtime, u: GpuHandle, uOld: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  const s =
    `  const p = ${idiv('j', 2)};\n  const c = j - p * 2;\n` + changeOf(u, uOld, t.n) + `  if (c == 0.0) { return ${num(t.iterations)}; }\n  return change;`;
  return rt.run(['uN', 'uP'], s, t.count * 2, [u, uOld]);
};

/** state [P, 3] = (iterations, change, active) after a step from uOld to u (early stop). */
const stateStep = (rt: Runtime, state: GpuHandle, u: GpuHandle, uOld: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  let s =
    `  const p = ${idiv('j', 3)};\n  const c = j - p * 3;\n` +
    readFlat('act', 'st', 'p * 3 + 2', state) +
    readFlat('old', 'st', 'j', state) +
    changeOf(u, uOld, t.n);
  s += `  if (c == 0.0) { return old + act; }\n  if (c == 1.0) { if (act > 0.0) { return change; } return old; }\n`;
  s += `  if (act > 0.0 && !(change <= ${num(t.tolerance)})) { return 1.0; }\n  return 0.0;`;
  return rt.run(['st', 'uN', 'uP'], s, t.count * 3, [state, u, uOld]);
};

/** A problem still active (in the state before the step) takes the new u, the others keep theirs. */
const keepStopped = (rt: Runtime, state: GpuHandle, u: GpuHandle, uOld: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  let s = `  const p = ${idiv('j', t.n)};\n` + readFlat('act', 'st', 'p * 3 + 2', state);
  s += readFlat('un', 'uN', 'j', u) + readFlat('uo', 'uP', 'j', uOld) + '  if (act > 0.0) { return un; }\n  return uo;';
  return rt.run(['st', 'uN', 'uP'], s, t.count * t.n, [state, u, uOld]);
};

const statsOfState = (rt: Runtime, state: GpuHandle, t: SinkhornAttrs): GpuHandle =>
  rt.run(['st'], `  const p = ${idiv('j', 2)};\n  const c = j - p * 2;\n` + readFlat('v', 'st', 'p * 3 + c', state) + '  return v;', t.count * 2, [state]);

const planStep = (rt: Runtime, K: GpuHandle, u: GpuHandle, v: GpuHandle, t: SinkhornAttrs): GpuHandle => {
  const { n, m } = t;
  let s = `  const r = ${idiv('j', m)};\n  const jj = j - r * ${m};\n  const p = ${idiv('r', n)};\n`;
  s += readFlat('uv', 'u', 'r', u) + readFlat('kv', 'k', 'j', K) + readFlat('vv', 'v', `p * ${m} + jj`, v) + '  return uv * kv * vv;';
  return rt.run(['k', 'u', 'v'], s, K.size, [K, u, v]);
};

/** Iterations between the (3P-value) state reads of the early-stop loop. */
const CHECK_EVERY = 16;

const anyActive = (rt: Runtime, state: GpuHandle): boolean => {
  const st = rt.download(state);
  for (let k = 2; k < st.length; k += 3) if (st[k] > 0) return true;
  return false;
};

export const sinkhornBatched = (rt: Runtime, cost: GpuHandle, a: GpuHandle, b: GpuHandle, t: SinkhornAttrs): SinkhornBatchedResult => {
  const temps: GpuHandle[] = [];
  const temp = (h: GpuHandle) => (temps.push(h), h);
  try {
    const K = temp(gibbs(rt, cost, t));
    const Kt = temp(scaleRows(rt, K, a, t));
    let u = temp(fill(rt, t.count * t.n, 1 / t.n));
    let stats: GpuHandle;
    if (t.tolerance > 0) {
      const init = new Float32Array(t.count * 3);
      for (let p = 0; p < t.count; p++) init[3 * p + 2] = 1;
      let state = temp(rt.upload(init));
      for (let it = 0; it < t.iterations; it++) {
        const uNew = temp(rowStep(rt, Kt, temp(colStep(rt, K, u, b, t)), a, t));
        const next = temp(stateStep(rt, state, uNew, u, t));
        u = temp(keepStopped(rt, state, uNew, u, t));
        state = next;
        if ((it + 1) % CHECK_EVERY === 0 && !anyActive(rt, state)) break;
      }
      stats = statsOfState(rt, state, t);
    } else {
      let uOld = u;
      for (let it = 0; it < t.iterations; it++) {
        uOld = u;
        u = temp(rowStep(rt, Kt, temp(colStep(rt, K, u, b, t)), a, t));
      }
      stats = finalStats(rt, u, uOld, t);
    }
    const v = colStep(rt, K, u, b, t);
    const plan = planStep(rt, K, u, v, t);
    const uOut = temps.splice(temps.indexOf(u), 1)[0]; // the last u is returned, not released
    return { plan, u: uOut, v, stats };
  } finally {
    for (const h of temps) rt.release(h);
  }
};
