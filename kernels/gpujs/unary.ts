/** Elementwise unary maps. Same size in and out, so same layout: read (y, x) directly. */
import type { UnaryOp } from '../../lib/backend/backend.js';
import type { GpuHandle, Runtime } from './runtime.js';

const C = Math.sqrt(2 / Math.PI);
const G = 0.044715;
// tanh through exp(-2|x|): never overflows (GLSL ES 1.0 has no tanh; a naive one gives NaN at |x| > 44).
const tanhOf = (x: string) => `(Math.sign(${x}) * (1.0 - Math.exp(-2.0 * Math.abs(${x}))) / (1.0 + Math.exp(-2.0 * Math.abs(${x}))))`;

/** Expression of `x` per op; multi-statement ones define `t` first. */
const EXPR: Record<UnaryOp, { pre?: string; e: string }> = {
  neg: { e: '-x' },
  exp: { e: 'Math.exp(x)' },
  log: { e: 'Math.log(x)' },
  sqrt: { e: 'Math.sqrt(x)' },
  abs: { e: 'Math.abs(x)' },
  relu: { e: '(x < 0.0 ? 0.0 : x)' },
  gelu: { pre: `const u = ${C} * (x + ${G} * x * x * x);\n  const t = ${tanhOf('u')};`, e: '0.5 * x * (1.0 + t)' },
  tanh: { e: tanhOf('x') },
  // stable logistic: exp of a non-positive number only
  sigmoid: { pre: 'const e = Math.exp(-Math.abs(x));', e: '(x >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e))' },
  square: { e: 'x * x' },
  reciprocal: { e: '1.0 / x' },
  sign: { e: 'Math.sign(x)' },
  step: { e: '(x > 0.0 ? 1.0 : 0.0)' },
  geluGrad: {
    pre: `const u = ${C} * (x + ${G} * x * x * x);\n  const t = ${tanhOf('u')};`,
    e: `0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * ${C} * (1.0 + ${3 * G} * x * x)`,
  },
};

export const unary = (rt: Runtime, op: UnaryOp, x: GpuHandle): GpuHandle => {
  const { pre, e } = EXPR[op];
  const body = `  const x = a[this.thread.y][this.thread.x];\n  ${pre ?? ''}\n  return ${e};`;
  return rt.run(['a'], body, x.size, [x]);
};
