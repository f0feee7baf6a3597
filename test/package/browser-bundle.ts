/** The consumer's browser program bundled by esbuild (minified, code-split), with its sizes. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Bundle {
  /** Bytes of everything but the GPU.js chunk, and of that chunk (raw and gzipped). */
  readonly figures: { bundleBytes: number; bundleGzipBytes: number; gpujsChunkBytes: number; gpujsChunkGzipBytes: number };
  /** Every import the bundle's chunks still make. */
  readonly imported: readonly string[];
}

/** Bundles `project`/browser-main.ts into `outdir`. */
export const bundleForBrowser = async (project: string, outdir: string): Promise<Bundle> => {
  const esbuild = (await import('esbuild')) as typeof import('esbuild');
  const r = await esbuild.build({
    entryPoints: [path.join(project, 'browser-main.ts')],
    absWorkingDir: project,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    minify: true,
    target: 'es2022',
    outdir,
    metafile: true,
    logLevel: 'warning',
  });
  const outputs = Object.entries(r.metafile.outputs).map(([f, o]) => ({ f, bytes: o.bytes, gz: gzipSync(readFileSync(path.join(project, f))).length }));
  const gpu = outputs.filter((o) => /gpujs-backend/.test(o.f));
  const rest = outputs.filter((o) => !/gpujs-backend/.test(o.f));
  return {
    figures: {
      bundleBytes: rest.reduce((a, o) => a + o.bytes, 0),
      bundleGzipBytes: rest.reduce((a, o) => a + o.gz, 0),
      gpujsChunkBytes: gpu.reduce((a, o) => a + o.bytes, 0),
      gpujsChunkGzipBytes: gpu.reduce((a, o) => a + o.gz, 0),
    },
    imported: Object.values(r.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path)),
  };
};
