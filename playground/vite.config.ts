/**
 * The playground's Vite config: a static app (index.html + one bundle) with relative asset
 * paths, so the built folder works from any static host and any sub-path. The dev and preview
 * servers send COOP/COEP, which makes the page cross-origin isolated (SharedArrayBuffer, so the
 * CPU backend runs its kernels on Web Workers); a host that cannot send them still serves a
 * working page, on one thread (see playground/README.md).
 */
import { defineConfig } from 'vite';

const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  server: { headers: isolation },
  preview: { headers: isolation },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
  // the node-only modules (worker_threads, headless-gl, Dawn) are behind runtime checks that a page never takes
  optimizeDeps: { exclude: ['gl', 'webgpu'] },
});
