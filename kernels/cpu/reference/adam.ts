/**
 * Adam/AdamW in one pass over a parameter: the same arithmetic as the op composition in
 * lib/ops/optim-update.ts, rounding every intermediate (and every scalar the ops would lift to
 * a tensor) to the arrays' precision with `r` (Math.fround for float32), so the values are the
 * composition's bit for bit. One read of p, g, m, v and one write of p, m, v instead of a dozen
 * passes.
 */
import type { AdamHyper } from '../../../lib/backend/backend.js';
import type { TypedArray } from '../../../lib/tensor/dtype.js';

export const refAdamUpdate = (
  p: TypedArray,
  g: TypedArray,
  m: TypedArray,
  v: TypedArray,
  h: AdamHyper,
  outP: TypedArray,
  outM: TypedArray,
  outV: TypedArray,
): void => {
  // float64 needs no rounding step; float32 rounds with Math.fround called directly (through a
  // function value V8 did not inline it: 4x slower than the separate ops)
  if (p instanceof Float64Array) adamLoop64(p, g, m, v, h, outP, outM, outV);
  else adamLoop32(p, g, m, v, h, outP, outM, outV);
};

/** The scalars as the ops lift them: rounded to the dtype (`r`). */
const constants = (h: AdamHyper, r: (x: number) => number) => ({
  l2: h.weightDecay !== 0 && !h.decoupled,
  shrink: h.weightDecay !== 0 && h.decoupled,
  cWd: r(h.weightDecay),
  cShrink: r(1 - h.lr * h.weightDecay),
  cB1: r(h.beta1),
  c1B1: r(1 - h.beta1),
  cB2: r(h.beta2),
  c1B2: r(1 - h.beta2),
  cBc2: r(1 - h.beta2 ** h.step),
  cEps: r(h.eps),
  cStep: r(h.lr / (1 - h.beta1 ** h.step)),
});

function adamLoop32(p: TypedArray, g: TypedArray, m: TypedArray, v: TypedArray, h: AdamHyper, outP: TypedArray, outM: TypedArray, outV: TypedArray): void {
  const fr = Math.fround;
  const { l2, shrink, cWd, cShrink, cB1, c1B1, cB2, c1B2, cBc2, cEps, cStep } = constants(h, fr);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const gi = l2 ? Math.fround(g[i] + Math.fround(pi * cWd)) : g[i];
    const base = shrink ? Math.fround(pi * cShrink) : pi;
    const mi = Math.fround(Math.fround(m[i] * cB1) + Math.fround(gi * c1B1));
    const vi = Math.fround(Math.fround(v[i] * cB2) + Math.fround(Math.fround(gi * gi) * c1B2));
    const denom = Math.fround(Math.fround(Math.sqrt(Math.fround(vi / cBc2))) + cEps);
    outP[i] = base - Math.fround(Math.fround(mi / denom) * cStep); // the store rounds the last op
    outM[i] = mi;
    outV[i] = vi;
  }
}

function adamLoop64(p: TypedArray, g: TypedArray, m: TypedArray, v: TypedArray, h: AdamHyper, outP: TypedArray, outM: TypedArray, outV: TypedArray): void {
  const { l2, shrink, cWd, cShrink, cB1, c1B1, cB2, c1B2, cBc2, cEps, cStep } = constants(h, (x) => x);
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    const gi = l2 ? g[i] + pi * cWd : g[i];
    const base = shrink ? pi * cShrink : pi;
    const mi = m[i] * cB1 + gi * c1B1;
    const vi = v[i] * cB2 + gi * gi * c1B2;
    const denom = Math.sqrt(vi / cBc2) + cEps;
    outP[i] = base - (mi / denom) * cStep;
    outM[i] = mi;
    outV[i] = vi;
  }
}
