/**
 * The direction of imports is the architecture: pipelines -> lib <- kernels; lib runs anywhere a
 * backend does (no gpu.js, jimp or node:*); kernels know nothing of ELIM; training never imports
 * the CLI. eslint.config.js states these as no-restricted-imports rules and `npm run lint` (in CI)
 * checks the whole tree; this test checks that the rules still fire where they must, so a config
 * edit cannot quietly switch a boundary off.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

const restricted = async (filePath: string, code: string): Promise<number> => {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
};

describe('architecture: the lint rules that keep the direction of imports', () => {
  it('lib imports no backend, no pipeline, and no gpu.js, jimp or node:* module', async () => {
    expect(await restricted('lib/ops/x.ts', "import { a } from '../../kernels/cpu/cpu-backend.js';\nexport { a };\n")).toBe(1);
    expect(await restricted('lib/ops/x.ts', "import { a } from '../../pipelines/elim.js';\nexport { a };\n")).toBe(1);
    expect(await restricted('lib/ops/x.ts', "import * as fs from 'node:fs';\nexport { fs };\n")).toBe(1);
    expect(await restricted('lib/ops/x.ts', "import { GPU } from 'gpu.js';\nexport { GPU };\n")).toBe(1);
    expect(await restricted('lib/ops/x.ts', "import { Jimp } from 'jimp';\nexport { Jimp };\n")).toBe(1);
    expect(await restricted('lib/ops/x.ts', "import { a } from '../tensor/tensor.js';\nexport { a };\n")).toBe(0);
  });

  it('kernels know nothing of ELIM (no pipelines/)', async () => {
    expect(await restricted('kernels/cpu/x.ts', "import { a } from '../../pipelines/config.js';\nexport { a };\n")).toBe(1);
    expect(await restricted('kernels/cpu/x.ts', "import { a } from '../../lib/errors.js';\nexport { a };\n")).toBe(0);
  });

  it('training does not import the CLI', async () => {
    expect(await restricted('pipelines/train/x.ts', "import { a } from '../cli/events.js';\nexport { a };\n")).toBe(1);
    expect(await restricted('pipelines/train/x.ts', "import { a } from './events.js';\nexport { a };\n")).toBe(0);
  });
});
