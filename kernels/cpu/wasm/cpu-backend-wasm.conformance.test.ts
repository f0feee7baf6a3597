/**
 * The CPU backend's conformance suite with the heavy float32 kernels routed to WebAssembly SIMD
 * (one thread; two with every call split) and with ELIM_WASM=0 forcing the TypeScript fallback.
 * The env var is read per call, so each block sets it for its own tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../../conformance/backend.test-helpers.js';
import { createCpuBackend } from '../cpu-backend.js';
import { heavyKernelInfo, matmulInto } from '../heavy-kernels.js';
import { setFastParallelMinFlops } from '../fast/index.js';
import { setWasmParallelMinFlops, wasmOffReason } from './index.js';

const saved = process.env.ELIM_WASM;
const setEnv = (v: string | undefined) => {
  if (v === undefined) delete process.env.ELIM_WASM;
  else process.env.ELIM_WASM = v;
};

describe('wasm on', () => {
  beforeAll(() => setEnv(undefined));
  it('routes float32 to the wasm kernels', () => expect(wasmOffReason()).toBe(''));
  describeBackendConformance(() => createCpuBackend({ threads: 1 }), { tolerance: 1e-5, label: 'cpu + wasm, 1 thread' });
  describeBackendConformance(
    () => {
      setWasmParallelMinFlops(0);
      return createCpuBackend({ threads: 2 });
    },
    { tolerance: 1e-5, label: 'cpu + wasm, 2 threads, every call split' },
  );
});

describe('wasm off (ELIM_WASM=0)', () => {
  beforeAll(() => {
    setWasmParallelMinFlops();
    setEnv('0');
  });
  afterAll(() => {
    setEnv(saved);
    setFastParallelMinFlops();
  });
  it('falls back with a logged reason', () => {
    expect(wasmOffReason()).toMatch(/ELIM_WASM=0/);
    const warn = console.warn;
    const logged: string[] = [];
    console.warn = (m: string) => void logged.push(m);
    try {
      const out = new Float32Array(1);
      matmulInto(Float32Array.of(2), [1, 1, 1], Float32Array.of(3), [1, 1, 1], false, false, out);
      expect(out[0]).toBe(6);
    } finally {
      console.warn = warn;
    }
    expect(logged.join('\n')).toMatch(/ELIM_WASM=0/);
  });
  describeBackendConformance(
    () => {
      setFastParallelMinFlops(0);
      return createCpuBackend({ threads: 2 });
    },
    { tolerance: 1e-5, label: 'cpu, TypeScript fallback, 2 threads' },
  );
});

describe('kernel info', () => {
  afterAll(() => setEnv(saved));
  it('names the engine the heavy kernels run on', () => {
    setEnv(undefined);
    expect(heavyKernelInfo()).toMatch(/^wasm-simd128/);
    setEnv('0');
    expect(heavyKernelInfo()).toMatch(/^ts-fast \(wasm off: disabled by ELIM_WASM=0\)$/);
  });
});
