/**
 * A whole `elim train --backend gpujs --steps 20` on the gpujs WebGPU mode (Dawn; SwiftShader's
 * Vulkan in CI) through the real binary, against the same run on the CPU backend: both finish
 * and their step-20 total loss agrees within 1e-4 relative (measured here: 2e-6; float32 on both
 * sides, different summation orders). Tiny AL64 (16 px, width 0.25): SwiftShader runs it at a
 * few images a second. Under CI=true (or ELIM_REQUIRE_WEBGPU=1) no adapter FAILS, else skips.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWebGpuForTest, useSoftwareVulkanUnlessSet } from '../../kernels/gpujs/webgpu/test-device.js';
import { cliEnv, elimIn, events as runEvents, requireDist, tempFolder, tinyModel } from './e2e.test-helpers.js';

const tmp = tempFolder('webgpu');

useSoftwareVulkanUnlessSet();
const probe = openWebGpuForTest();
const available = typeof probe !== 'string';
if (typeof probe === 'string') console.warn(`[webgpu e2e] SKIPPED (not CI): ${probe}`);
else probe.destroy();

const ARGS = [...tinyModel({ identities: 8, frames: 8 }), '--steps', '20', '--validate-every', '0', '--checkpoint-every', '0'];

const train = (backend: string, out: string) =>
  elimIn(tmp, cliEnv({ ELIM_GPUJS_MODE: 'webgpu' }), 400_000)(['train', '--backend', backend, ...ARGS, '--out', out]);
const events = (dir: string) => runEvents(path.join(tmp, dir));

describe.skipIf(!available)('elim train on the gpujs WebGPU mode', () => {
  it("20 steps finish on WebGPUKernel with the CPU backend's final loss (1e-4 relative)", () => {
    requireDist();
    const g = train('gpujs', 'webgpu');
    expect(g.status, g.stderr).toBe(0);
    const c = train('cpu', 'cpu');
    expect(c.status, c.stderr).toBe(0);
    const backendOf = (d: string) => events(d).find((e) => e.event === 'backend');
    expect(backendOf('webgpu')?.kernelClass).toBe('WebGPUKernel');
    const last = (d: string) =>
      events(d)
        .filter((e) => e.event === 'step')
        .at(-1) as { step: number; total: number };
    const [lg, lc] = [last('webgpu'), last('cpu')];
    expect(lg.step).toBe(20);
    expect(lc.step).toBe(20);
    const rel = Math.abs(lg.total - lc.total) / Math.abs(lc.total);
    console.log(`[webgpu e2e] step-20 total loss: webgpu ${lg.total}, cpu ${lc.total}, relative difference ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-4);
    expect(existsSync(path.join(tmp, 'webgpu', 'predictions-held-out.csv'))).toBe(true);
  }, 600_000);
});
