/** `npm run docs:options`: regenerates the ELIM options table in docs/CLI.md (see options-doc.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { withOptionsTable } from './options-doc.js';

const file = process.argv[2] ?? 'docs/CLI.md';
const before = readFileSync(file, 'utf8');
const after = withOptionsTable(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(`${file}: options table ${after === before ? 'already up to date' : 'regenerated'}\n`);
