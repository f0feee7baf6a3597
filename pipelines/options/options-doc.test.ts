import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeConfig } from '../config.js';
import { BEGIN, END, optionsTable, withOptionsTable } from './options-doc.js';

const doc = readFileSync(new URL('../../docs/CLI.md', import.meta.url), 'utf8');

describe('the options table in docs/CLI.md', () => {
  it('is the one generated from the option schema (run npm run docs:options after changing an option)', () => {
    expect(doc).toContain(BEGIN);
    expect(doc).toContain(END);
    expect(doc).toBe(withOptionsTable(doc));
  });

  it('has one row per option, naming its path, flags and default', () => {
    const rows = optionsTable().split('\n').slice(2);
    const options = describeConfig();
    expect(rows).toHaveLength(options.length);
    rows.forEach((row, i) => {
      expect(
        row.startsWith(`| \`${options[i].path}\` | ${options[i].flags.map((f) => `\`${f}\``).join(', ')} | \`${JSON.stringify(options[i].default)}\``),
      ).toBe(true);
    });
  });

  it('a stale table is replaced, the rest of the document kept; missing markers are an error', () => {
    const stale = `intro\n${BEGIN}\n| old |\n${END}\noutro\n`;
    const fresh = withOptionsTable(stale);
    expect(fresh).toBe(`intro\n${BEGIN}\n${optionsTable()}\n${END}\noutro\n`);
    expect(withOptionsTable(fresh)).toBe(fresh);
    expect(() => withOptionsTable('no markers')).toThrow(/markers/);
  });
});
