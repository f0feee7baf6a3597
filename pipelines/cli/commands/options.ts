/** `elim options`: every ELIM option, its default, and where the default comes from (paper, release, or this project). */
import type { CommandSpec } from '../args.js';
import { parseCommand } from '../command.js';
import { describeConfig } from '../../config.js';

export const spec: CommandSpec = {
  name: 'options',
  summary: 'list every ELIM option with its default and provenance (paper or release)',
  options: [{ name: 'json', kind: 'boolean', default: false, help: 'print JSON instead of a table' }],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  const rows = describeConfig();
  if (parsed.options.json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const w = [Math.max(...rows.map((r) => r.path.length)), Math.max(...rows.map((r) => JSON.stringify(r.default).length)), 13];
  process.stdout.write(`${'option'.padEnd(w[0])}  ${'default'.padEnd(w[1])}  ${'from'.padEnd(w[2])}  note\n`);
  for (const r of rows)
    process.stdout.write(`${r.path.padEnd(w[0])}  ${JSON.stringify(r.default).padEnd(w[1])}  ${r.provenance.padEnd(w[2])}  ${r.note} [${r.values}]\n`);
  return 0;
};
