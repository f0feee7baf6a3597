#!/usr/bin/env node
// The `elim` command. Runs the compiled CLI (npm run build makes dist/).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const entry = path.join(root, 'dist', 'pipelines', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`elim: ${path.relative(process.cwd(), entry)} is missing: run 'npm run build' first\n`);
  process.exit(2);
}
// V8's relaxed SIMD (fused multiply-add in the GEMM) where Node keeps it behind a flag: before
// any wasm module is compiled (kernels/cpu/wasm/relaxed-flag.ts; ELIM_WASM_RELAXED=0 opts out)
const { enableRelaxedSimd } = await import(pathToFileURL(path.join(root, 'dist', 'kernels', 'cpu', 'wasm', 'relaxed-flag.js')).href);
enableRelaxedSimd();
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
