/**
 * Opting in to WebAssembly relaxed SIMD where the runtime has it behind a flag (Node 20: V8
 * 11.3; Node 22 ships it on). The GEMM's f32x4.relaxed_madd is a fused multiply-add on CPUs with
 * FMA: measured here 15-20% faster convolutions than mul + add (AL64's 128->128 layer at batch
 * 64: 131-140 ms against 159 ms, one thread).
 *
 * V8 flags are process-wide and must be set before the wasm runtime compiles its module, so this
 * is for entry points that own their process (the `elim` CLI, the benchmarks), called first
 * thing; the library never changes flags on its own. ELIM_WASM_RELAXED=0 keeps plain SIMD (the
 * runtime also honours it where relaxed SIMD is on by default). Results stay deterministic on a
 * given machine; they can differ in the last bits from plain SIMD's (one rounding per madd).
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable } from './probe.js';

/** Turns relaxed SIMD on if needed and possible; returns what happened, for logs. */
export const enableRelaxedSimd = (): string => {
  if (process.env.ELIM_WASM_RELAXED === '0') return 'relaxed SIMD off (ELIM_WASM_RELAXED=0)';
  if (relaxedSimdAvailable()) return 'relaxed SIMD available';
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch (e) {
    return `relaxed SIMD unavailable (${(e as Error).message})`;
  }
  return relaxedSimdAvailable() ? 'relaxed SIMD enabled (--experimental-wasm-relaxed-simd)' : 'relaxed SIMD unavailable in this runtime';
};
