/** `elim bench`: runs one of the benchmark scripts (compiled into dist/bench). */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandSpec } from '../args.js';
import { parseCommand, usageError } from '../command.js';

export const spec: CommandSpec = {
  name: 'bench',
  summary: 'run the benchmarks (kernels, ot, train)',
  usage: 'elim bench kernels|ot|train [-- benchmark arguments]',
  options: [],
  positionals: { name: 'which', help: 'kernels | ot | train', min: 1 },
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const [which, ...rest] = parsed.positionals;
  if (!['kernels', 'ot', 'train'].includes(which)) return usageError(`elim bench: unknown benchmark '${which}' (kernels, ot or train)`);
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', `${which}.js`);
  // the npm package ships no benchmarks (they need the repository's anchors and results folder)
  if (!existsSync(script)) return usageError(`elim bench: ${script} is missing: the benchmarks run from a clone of the repository (npm run bench:${which})`);
  const r = spawnSync(process.execPath, [script, ...rest], { stdio: 'inherit' });
  return r.status ?? 1;
};
