/** The report layer depends on lib (rng) and jimp only: never on kernels/ or other pipelines. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const files = (readdirSync(here, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => join(here, f));

describe('report imports', () => {
  it('stay inside pipelines/report, lib/, jimp, and node/vitest in tests', () => {
    let seen = 0;
    for (const f of files) {
      const isTest = f.endsWith('.test.ts');
      for (const m of readFileSync(f, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1];
        seen++;
        if (spec.startsWith('.')) {
          expect(spec, `${relative(root, f)}: ${spec}`).toMatch(/\.js$/);
          const target = relative(root, resolve(dirname(f), spec));
          expect(target.startsWith('pipelines/report/') || target.startsWith('lib/'), `${relative(root, f)}: ${spec}`).toBe(true);
        } else {
          const allowed = ['jimp', ...(isTest ? ['vitest', 'node:fs', 'node:path', 'node:url'] : [])];
          expect(allowed, `${relative(root, f)}: ${spec}`).toContain(spec);
        }
      }
    }
    expect(seen).toBeGreaterThan(30); // the scan found the imports, so the checks above ran
  });
});
