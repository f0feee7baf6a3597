/**
 * The gpujs backend in WebGPU mode (Dawn on a device thread; SwiftShader's Vulkan in CI) against
 * the reference kernels: the same shared conformance suite as the GL path, at the same float32
 * tolerance (1e-4 scaled), plus what only this mode has: the awaitable read, errors surfacing at
 * the op that caused them, and handles freed on the device. Under CI=true (or
 * ELIM_REQUIRE_WEBGPU=1) a missing adapter FAILS; elsewhere the file says why it skipped.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { describeBackendConformance } from '../../conformance/backend.test-helpers.js';
import { openWebGpuForTest, webgpuRequired } from './test-device.js';

const opened = openWebGpuForTest((m) => console.log(m));
const backend = typeof opened === 'string' ? null : opened;
if (!backend) console.warn(`[webgpu test] SKIPPED (not CI): ${opened}`);
afterAll(() => backend?.destroy());

describe.skipIf(!backend)('gpujs WebGPU mode', () => {
  const b = backend!;

  it('reports WebGPUKernel and the adapter Dawn gave', () => {
    expect(b.kernelClass).toBe('WebGPUKernel');
    expect(b.mode).toBe('webgpu');
    expect(b.adapter.length).toBeGreaterThan(0);
    expect(b.isGL).toBe(false);
  });

  it('downloadAsync gives the values download gives, after a chain of 100 ops with no read between', async () => {
    const x = b.upload(Float32Array.from({ length: 1000 }, (_, i) => i / 100));
    let y = x;
    const made = [];
    for (let i = 0; i < 100; i++) made.push((y = b.binary('add', y, [1000], x, [1000], [1000])));
    const want = Float32Array.from({ length: 1000 }, (_, i) => Math.fround(101 * Math.fround(i / 100)));
    const viaAsync = await b.downloadAsync(y);
    const viaSync = b.download(y);
    expect(Array.from(viaAsync)).toEqual(Array.from(viaSync));
    for (let i = 0; i < 1000; i++) expect(Math.abs(viaSync[i] - want[i])).toBeLessThanOrEqual(1e-4 * (1 + want[i]));
    for (const h of [x, ...made]) b.release(h);
    expect(b.liveHandles()).toBe(0);
  });

  it('a read of a released handle, or a use after release, is a typed error, not a hang', () => {
    const x = b.upload(new Float32Array([1, 2]));
    b.release(x);
    expect(() => b.unary('neg', x)).toThrow(/after release/);
    expect(() => b.release(x)).toThrow(/released twice/);
  });

  it('float64 is refused as on GL', () => {
    expect(() => b.fill(3, 1, 'float64')).toThrow(/float32 only/);
  });
});

it('an adapter is required under CI', () => {
  if (webgpuRequired()) expect(backend, typeof opened === 'string' ? opened : '').not.toBeNull();
});

if (backend) describeBackendConformance(() => backend, { tolerance: 1e-4, label: `gpujs/WebGPUKernel on ${backend.adapter}` });
