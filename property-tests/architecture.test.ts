/**
 * The direction of imports is the architecture: pipelines -> lib <- kernels. lib imports
 * neither kernels/ nor pipelines/, nor gpu.js, jimp or node:* (it must run anywhere a backend
 * does); kernels know nothing of ELIM (no pipelines/). This test reads every import specifier.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
  });

/** Import and export-from specifiers, static and dynamic (comments stripped first). */
const specifiers = (file: string): string[] => {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
};

/** Where a relative specifier lands, relative to the repository root. */
const target = (file: string, spec: string) => (spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(file), spec)) : spec);

const violations = (dir: string, forbidden: (t: string) => boolean) =>
  sources(path.join(root, dir)).flatMap((f) => specifiers(f).map((s) => [path.relative(root, f), target(f, s)] as const)).filter(([, t]) => forbidden(t));

describe('architecture: direction of imports', () => {
  it('finds the imports it checks (the scanner works)', () => {
    expect(specifiers(path.join(root, 'lib', 'ops', 'index.ts')).length).toBeGreaterThan(3);
    expect(sources(path.join(root, 'lib')).length).toBeGreaterThan(30);
  });

  it('lib imports no backend, no pipeline, and no gpu.js, jimp or node:* module', () => {
    const bad = violations('lib', (t) => t.startsWith('kernels') || t.startsWith('pipelines') || t.startsWith('node:') || t === 'gpu.js' || t.startsWith('jimp'));
    expect(bad).toEqual([]);
  });

  it('kernels know nothing of ELIM (no pipelines/)', () => {
    expect(violations('kernels', (t) => t.startsWith('pipelines'))).toEqual([]);
  });
});
