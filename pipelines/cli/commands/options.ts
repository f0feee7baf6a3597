/** `elim options`: every ELIM option, its default, where the default comes from (paper, release, or this project) and its flags. */
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
  const cells = rows.map((r) => [r.path, JSON.stringify(r.default), r.provenance, r.flags.join(', '), `${r.note} [${r.values}]`]);
  const head = ['option', 'default', 'from', 'flag'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: readonly string[]) => c.map((x, i) => (i < w.length ? x.padEnd(w[i]) : x)).join('  ');
  process.stdout.write(`${line([...head, 'note [values]'])}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
  return 0;
};
