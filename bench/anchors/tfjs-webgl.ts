/**
 * Registers TensorFlow.js's WebGL backend on a headless-gl context in Node (the GPU peer of our
 * gpujs backend: same GL stack, under `xvfb-run -a`). tfjs-backend-webgl registers itself only
 * in browsers, so it is registered by hand (ENGINE_NOTES.md): a WebGL1 context from `gl`, float32
 * render targets declared (headless-gl supports OES_texture_float rendering), priority 3.
 * Returns null with the reason when no GL context can be made (no display, gl not built).
 */
import { createRequire } from 'node:module';

type Tf = typeof import('@tensorflow/tfjs-core');

let registered: Promise<string | null> | null = null;

/** Registers 'webgl' once; resolves to null when usable, else the reason it is not. */
export const registerTfjsWebgl = (tf: Tf): Promise<string | null> => {
  registered ??= (async () => {
    try {
      const require = createRequire(import.meta.url);
      const makeGl = require('gl') as (w: number, h: number, o?: object) => object | null;
      const gl = makeGl(1, 1, { preserveDrawingBuffer: false });
      if (!gl) return 'headless-gl gave no context (no X display? run under xvfb-run -a)';
      const webgl = await import('@tensorflow/tfjs-backend-webgl');
      webgl.setWebGLContext(1, gl);
      tf.env().set('WEBGL_VERSION', 1);
      tf.env().set('WEBGL_RENDER_FLOAT32_CAPABLE', true);
      tf.registerBackend('webgl', () => new webgl.MathBackendWebGL(new webgl.GPGPUContext(gl)), 3);
      return null;
    } catch (e) {
      return `tfjs-backend-webgl could not start: ${(e as Error).message.split('\n')[0]}`;
    }
  })();
  return registered;
};
