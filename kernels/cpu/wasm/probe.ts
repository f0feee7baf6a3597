/** Feature probes by validation of tiny modules (no flags are changed). */
import { wasmApi } from './api.js';
import { buildModule, Fn, SIMD, V128 } from './emitter.js';

const probe = (body: (f: Fn) => void): boolean => {
  const f = new Fn('p', []);
  body(f);
  try {
    return wasmApi !== undefined && wasmApi.validate(buildModule([f], { initial: 1, maximum: 1, shared: true }));
  } catch {
    return false;
  }
};

/** f32x4.relaxed_madd validates (Node 22+, or Node 20 with --experimental-wasm-relaxed-simd). */
export const relaxedSimdAvailable = (): boolean =>
  probe((f) => {
    const v = f.local(V128);
    f.get(v).get(v).get(v).simd(SIMD.f32x4RelaxedMadd).set(v);
  });

/** Plain 128-bit SIMD validates. */
export const simdAvailable = (): boolean =>
  probe((f) => {
    const v = f.local(V128);
    f.get(v).get(v).simd(SIMD.f32x4Add).set(v);
  });
