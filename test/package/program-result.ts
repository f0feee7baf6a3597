/**
 * What consumer/program.ts returns (that file is compiled in the consumer's project, not here),
 * and how close a browser's result must be to Node's.
 */

export interface ProgramResult {
  backend: string;
  kernelClass: string;
  loss: number;
  grad: number[];
  bigMatmulSum: number;
  asyncReadEqual: boolean;
  sinkhorn: { cost: number; planHead: number[] };
  elim: { loss: number; main: number; va: number; outcome: string; gradSumSq: number };
  al64: { step: number; predictions: number[] };
  liveHandles: number;
}

/**
 * Node/browser agreement. Same CPU kernels (WebAssembly SIMD; Chromium has relaxed SIMD on, so
 * fused multiply-adds round once where Node 20 rounds twice): float32 last bits. GPU.js on
 * WebGL2 (SwiftShader) computes in float32 with its own summation order and transcendental
 * functions: a few float32 ulps per op, accumulated over AL64's layers.
 */
export const TOL = {
  cpu: { rel: 1e-5, abs: 1e-6 },
  webgl2: { rel: 1e-4, abs: 1e-5 },
} as const;

/** max over fields of |a - b| / (rel * |b| + abs): <= 1 means within tolerance. */
export const worst = (a: ProgramResult, b: ProgramResult, tol: { rel: number; abs: number }): { ratio: number; at: string; maxAbs: number } => {
  const pairs: Array<[string, number, number]> = [
    ['loss', a.loss, b.loss],
    ...a.grad.map((v, i): [string, number, number] => [`grad[${i}]`, v, b.grad[i]!]),
    ['bigMatmulSum', a.bigMatmulSum, b.bigMatmulSum],
    ['sinkhorn.cost', a.sinkhorn.cost, b.sinkhorn.cost],
    ...a.sinkhorn.planHead.map((v, i): [string, number, number] => [`sinkhorn.plan[${i}]`, v, b.sinkhorn.planHead[i]!]),
    ['elim.loss', a.elim.loss, b.elim.loss],
    ['elim.main', a.elim.main, b.elim.main],
    ['elim.va', a.elim.va, b.elim.va],
    ['elim.gradSumSq', a.elim.gradSumSq, b.elim.gradSumSq],
    ...a.al64.predictions.map((v, i): [string, number, number] => [`al64[${i}]`, v, b.al64.predictions[i]!]),
  ];
  let out = { ratio: 0, at: '', maxAbs: 0 };
  for (const [at, x, y] of pairs) {
    const d = Math.abs(x - y);
    const r = d / (tol.rel * Math.abs(y) + tol.abs);
    out = { ratio: Math.max(out.ratio, r), at: r > out.ratio ? at : out.at, maxAbs: Math.max(out.maxAbs, d) };
  }
  return out;
};
