/**
 * Headless Chromium with WebGPU on SwiftShader, for the browser bench (bench/webgpu-browser.ts)
 * and the browser WebGPU test (test/webgpu-browser): bundles entry points with esbuild (ESM, so a worker finds its
 * neighbours through import.meta.url), serves a folder with the COOP/COEP headers
 * (crossOriginIsolated: SharedArrayBuffer and Atomics.wait in workers), and launches Chromium.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

import { CHROMIUM, quietHeadlessArgs } from '../lib/chromium.js';

export { CHROMIUM };

/**
 * `--enable-unsafe-webgpu` gives headless Chromium a WebGPU adapter (SwiftShader's Vulkan where
 * there is no GPU); SwiftShader GL keeps WebGL2 for the fallback path. On a GPU machine
 * `ELIM_CHROMIUM_GPU=1` drops the SwiftShader switches (scripts/device/gpu-check.sh sets it).
 */
export const chromiumArgs = (): string[] => [
  ...quietHeadlessArgs,
  '--enable-unsafe-webgpu',
  ...(process.env.ELIM_CHROMIUM_GPU === '1'
    ? ['--enable-features=Vulkan', '--ignore-gpu-blocklist']
    : ['--use-angle=swiftshader', '--enable-unsafe-swiftshader']),
];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs() });

/**
 * Bundles `entries` (name -> source file) into `outdir` as ESM for the browser; `alias` maps
 * module names; `replace` maps a module file (absolute path, as imported: .js) to another.
 * `node:*` imports become empty modules: what reaches them in a page is never called there.
 */
export const bundle = async (
  entries: Record<string, string>,
  outdir: string,
  alias: Record<string, string> = {},
  replace: Record<string, string> = {},
): Promise<void> => {
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const plugin: import('esbuild').Plugin = {
    name: 'page-stubs',
    setup(b) {
      b.onResolve({ filter: /^node:/ }, (a) => ({ path: a.path, namespace: 'node-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
      b.onResolve({ filter: /\.js$/ }, (a) => {
        const target = replace[path.resolve(a.resolveDir, a.path)];
        return target ? { path: target } : undefined;
      });
    },
  };
  await esbuild.build({
    entryPoints: entries,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outdir,
    alias,
    logLevel: 'error',
    plugins: [plugin],
  });
};

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.safetensors': 'application/octet-stream' };

/** A loopback static server for `root`, every response cross-origin isolating. */
export const serveIsolated = async (root: string): Promise<{ server: Server; origin: string }> => {
  const server = createServer((req, res) => {
    const rel = path.normalize(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^(\.\.[/\\])+/, '');
    readFile(path.join(root, rel)).then(
      (body) =>
        res
          .writeHead(200, {
            'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream',
            'cross-origin-opener-policy': 'same-origin',
            'cross-origin-embedder-policy': 'require-corp',
          })
          .end(body),
      () => res.writeHead(404).end('not found'),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return { server, origin: `http://127.0.0.1:${addr.port}` };
};
