/**
 * The gpujs backend against the reference kernels (the shared conformance suite), plus the
 * kernel-class guard: with ELIM_REQUIRE_GL=1 (CI, under xvfb-run -a) a non-GL class FAILS, so a
 * missing headless-gl build cannot pass silently as WebAssembly.
 * float32 tolerance 1e-4 scaled (|got - want| <= 1e-4 (1 + |want|)): GL's exp/log/pow are
 * approximations (pow(6, 6) comes back 46656.01 on llvmpipe).
 */
import { describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../conformance/backend.test-helpers.js';
import { createGpujsBackend, isGLKernelClass } from './gpujs-backend.js';

const backend = createGpujsBackend({ log: (m) => console.log(m) });
console.log(`[gpujs test] kernel class obtained: ${backend.kernelClass} (GL: ${backend.isGL}, ELIM_REQUIRE_GL=${process.env.ELIM_REQUIRE_GL ?? ''})`);

describe('gpujs kernel class', () => {
  it('is reported, and is a GL kernel whenever ELIM_REQUIRE_GL=1', () => {
    expect(backend.kernelClass).toMatch(/Kernel$/);
    if (process.env.ELIM_REQUIRE_GL === '1') expect(isGLKernelClass(backend.kernelClass), `got ${backend.kernelClass}`).toBe(true);
  });

  it('requireGL refuses a non-GL class with a BackendError', () => {
    if (backend.isGL) return; // nothing to refuse here
    expect(() => createGpujsBackend({ requireGL: true, log: () => {} })).toThrow(/GL kernel class was required/);
  });

  it('float64 is refused (the op layer turns this into a DTypeError before it gets here)', () => {
    expect(backend.dtypes).toEqual(['float32']);
    expect(() => backend.fill(3, 1, 'float64')).toThrow(/float32 only/);
  });
});

describeBackendConformance(() => backend, { tolerance: 1e-4, label: `gpujs/${backend.kernelClass}` });
