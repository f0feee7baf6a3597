/**
 * GPU check for a real-GPU machine: prints, as one JSON object on stdout, the GL renderer that
 * headless-gl obtains, the GPU.js kernel class the gpujs backend obtains, and the backend's
 * matmul and conv2d throughput (GFLOP/s). Logs go to stderr.
 *
 *   npm run build && xvfb-run -a node dist/bench/gpu-check.js            # full sizes
 *   xvfb-run -a node dist/bench/gpu-check.js --small                     # seconds on llvmpipe
 *   options: --mode gpu|headlessgl|webasm|cpu   --reps N
 *
 * Timing: one warm-up call (compiles the kernel), then `reps` calls queued back to back and one
 * download of the last result, which waits for the whole queue (GL runs asynchronously): the
 * time includes one readback, amortised over the reps.
 */
import { createRequire } from 'node:module';
import type { DataHandle } from '../lib/backend/backend.js';
import { Rng } from '../lib/rng/rng.js';
import { createGpujsBackend, type GpujsBackend } from '../kernels/gpujs/gpujs-backend.js';
import type { GpujsMode } from '../kernels/gpujs/runtime.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const small = args.includes('--small');
const mode = opt('mode', 'gpu') as GpujsMode;
const reps = Number(opt('reps', small ? '2' : '5'));

interface GlInfo {
  available: boolean;
  renderer?: string;
  vendor?: string;
  version?: string;
  /** What ANGLE reports underneath (headless-gl masks RENDERER as 'ANGLE'): the real GPU or llvmpipe. */
  nativeRenderer?: string;
  nativeVendor?: string;
  nativeVersion?: string;
  unmaskedRenderer?: string;
  maxTextureSize?: number;
  error?: string;
}

/** The renderer string from a 1x1 headless-gl context (null context: no display, no EGL). */
const glInfo = (): GlInfo => {
  try {
    const require = createRequire(import.meta.url);
    const createGL = require('gl') as (w: number, h: number, o?: object) => WebGLLike | null;
    const gl = createGL(1, 1, { preserveDrawingBuffer: false });
    if (!gl) return { available: false, error: 'headless-gl returned no context (no X display? run under xvfb-run -a)' };
    const info: GlInfo = {
      available: true,
      renderer: String(gl.getParameter(gl.RENDERER)),
      vendor: String(gl.getParameter(gl.VENDOR)),
      version: String(gl.getParameter(gl.VERSION)),
      maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)),
    };
    // headless-gl 8.1.6 answers RENDERER with the constant 'ANGLE' and has no
    // WEBGL_debug_renderer_info; its _getParameterDirect asks ANGLE itself.
    if (typeof gl._getParameterDirect === 'function') {
      info.nativeRenderer = String(gl._getParameterDirect(gl.RENDERER));
      info.nativeVendor = String(gl._getParameterDirect(gl.VENDOR));
      info.nativeVersion = String(gl._getParameterDirect(gl.VERSION));
    }
    const dbg = gl.getExtension('WEBGL_debug_renderer_info') as { UNMASKED_RENDERER_WEBGL: number } | null;
    if (dbg) info.unmaskedRenderer = String(gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL));
    gl.getExtension('STACKGL_destroy_context')?.destroy();
    return info;
  } catch (err) {
    return { available: false, error: `headless-gl not loadable: ${(err as Error).message}` };
  }
};

interface WebGLLike {
  RENDERER: number;
  VENDOR: number;
  VERSION: number;
  MAX_TEXTURE_SIZE: number;
  getParameter(p: number): unknown;
  _getParameterDirect?: (p: number) => unknown;
  getExtension(name: string): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const randomHandle = (b: GpujsBackend, n: number, rng: Rng): DataHandle => {
  const a = new Float32Array(n);
  rng.fillUniform(a, -1, 1);
  return b.upload(a);
};

/** Seconds per call of `run` (see the timing note above). */
const time = (b: GpujsBackend, run: () => DataHandle): number => {
  b.release(run()); // warm-up: compiles
  const outs: DataHandle[] = [];
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) outs.push(run());
  b.download(outs[outs.length - 1]);
  const sec = (performance.now() - t0) / 1000 / reps;
  for (const o of outs) b.release(o);
  return sec;
};

const main = () => {
  const gl = glInfo();
  const b = createGpujsBackend({ mode, log: (m) => console.error(m) });
  const rng = Rng.fromSeed(1);
  const matmul = (small ? [64, 128] : [512, 1024, 2048]).map((n) => {
    const a = randomHandle(b, n * n, rng);
    const c = randomHandle(b, n * n, rng);
    const sec = time(b, () => b.matmul(a, [1, n, n], c, [1, n, n], false, false));
    b.release(a);
    b.release(c);
    return { m: n, k: n, n, msPerCall: +(sec * 1e3).toFixed(3), gflops: +((2 * n * n * n) / sec / 1e9).toFixed(3) };
  });
  const [N, C, O, H, W, K] = small ? [2, 16, 16, 8, 8, 3] : [64, 128, 128, 16, 16, 3];
  const x = randomHandle(b, N * C * H * W, rng);
  const w = randomHandle(b, O * C * K * K, rng);
  const attrs = { stride: [1, 1], pad: [1, 1] } as const;
  const sec = time(b, () => b.conv2d(x, [N, C, H, W], w, [O, C, K, K], attrs));
  b.release(x);
  b.release(w);
  const conv2d = {
    batch: N,
    cin: C,
    cout: O,
    h: H,
    w: W,
    k: K,
    pad: 1,
    msPerCall: +(sec * 1e3).toFixed(3),
    gflops: +((2 * N * O * H * W * C * K * K) / sec / 1e9).toFixed(3),
  };
  const report = {
    gl,
    gpujs: { mode, kernelClass: b.kernelClass, isGL: b.isGL, renderer: b.renderer, kernelClasses: b.kernelClasses() },
    node: process.version,
    small,
    reps,
    matmul,
    conv2d,
    liveHandlesAfter: b.liveHandles(),
  };
  b.destroy();
  console.log(JSON.stringify(report, null, 2));
};

main();
