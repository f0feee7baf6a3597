/**
 * A whole `elim train --backend gpujs --steps 20` on the gpujs WebGPU mode (Dawn; SwiftShader's
 * Vulkan in CI) through the real binary, against the same run on the CPU backend: both finish
 * and their step-20 total loss agrees within 1e-4 relative (measured here: 2e-6; float32 on both
 * sides, different summation orders). Tiny AL64 (16 px, width 0.25): SwiftShader runs it at a
 * few images a second. Under CI=true (or ELIM_REQUIRE_WEBGPU=1) no adapter FAILS, else skips.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openWebGpuForTest, useSoftwareVulkanUnlessSet } from '../../kernels/gpujs/webgpu/test-device.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'elim.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'elim-webgpu-'));

useSoftwareVulkanUnlessSet();
const probe = openWebGpuForTest();
const available = typeof probe !== 'string';
if (typeof probe === 'string') console.warn(`[webgpu e2e] SKIPPED (not CI): ${probe}`);
else probe.destroy();

const ARGS = [
  '--input-size',
  '16',
  '--width',
  '0.25',
  '--hidden',
  '16',
  '--latent',
  '8',
  '--synth-identities',
  '8',
  '--synth-held-out',
  '2',
  '--synth-frames',
  '8',
  '--identities-per-batch',
  '3',
  '--images-per-identity',
  '4',
  '--no-plots',
  '--log-every',
  '1',
  '--steps',
  '20',
  '--validate-every',
  '0',
  '--checkpoint-every',
  '0',
];

const train = (backend: string, out: string) =>
  spawnSync(process.execPath, [bin, 'train', '--backend', backend, ...ARGS, '--out', out], {
    cwd: tmp,
    encoding: 'utf8',
    env: { ...process.env, ELIM_THREADS: '1', ELIM_GPUJS_MODE: 'webgpu' },
    timeout: 400_000,
  });

const events = (dir: string) =>
  readFileSync(path.join(tmp, dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!available)('elim train on the gpujs WebGPU mode', () => {
  it("20 steps finish on WebGPUKernel with the CPU backend's final loss (1e-4 relative)", () => {
    if (!existsSync(path.join(root, 'dist', 'pipelines', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
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
