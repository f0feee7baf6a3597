/**
 * Image inputs for `elim predict`: a folder (searched recursively), a CSV with a `path` column
 * (relative to the CSV's folder), or a glob (`*` within a path segment, `**` across segments).
 * Produced lazily, so a huge folder streams.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { csvRows, headerIndex } from '../data/csv-lines.js';

const IMAGE = /\.(png|jpe?g)$/i;

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile() && IMAGE.test(e.name)) yield p;
  }
}

/** A glob as a RegExp over '/'-separated paths. */
export const globToRegExp = (glob: string): RegExp => {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
};

const globRoot = (glob: string) => {
  const parts = glob.split('/');
  const i = parts.findIndex((p) => /[*?]/.test(p));
  return parts.slice(0, i).join('/') || '.';
};

export class InputError extends Error {}

/**
 * Inputs with the identity each image belongs to (`elim predict --per-identity`): from a CSV
 * column when `identityColumn` is given (CSV inputs only), else the name of the image's folder
 * (the generic-CSV and synthetic layouts keep one folder per identity).
 */
export async function* imageInputsWithIdentity(input: string, identityColumn?: string): AsyncGenerator<{ path: string; identity: string }> {
  if (identityColumn !== undefined && /\.csv$/i.test(input) && !/[*?]/.test(input)) {
    let cols: { path: number; id: number } | undefined;
    for await (const { line, fields } of csvRows(input)) {
      if (cols === undefined) {
        const h = headerIndex(fields);
        const p = h.get('path'),
          id = h.get(identityColumn);
        if (p === undefined) throw new InputError(`${input}:${line}: no 'path' column`);
        if (id === undefined) throw new InputError(`${input}:${line}: no '${identityColumn}' column (--identity-column)`);
        cols = { path: p, id };
        continue;
      }
      const rel = (fields[cols.path] ?? '').trim();
      const identity = (fields[cols.id] ?? '').trim();
      if (!rel) continue;
      if (!identity) throw new InputError(`${input}:${line}: empty identity in column '${identityColumn}'`);
      yield { path: path.resolve(path.dirname(input), rel), identity };
    }
    return;
  }
  if (identityColumn !== undefined) throw new InputError(`${input}: --identity-column needs a CSV input`);
  for await (const p of imageInputs(input)) yield { path: p, identity: path.basename(path.dirname(p)) };
}

export async function* imageInputs(input: string): AsyncGenerator<string> {
  if (/[*?]/.test(input)) {
    const re = globToRegExp(input.split(path.sep).join('/'));
    for await (const p of walk(globRoot(input))) if (re.test(p.split(path.sep).join('/'))) yield p;
    return;
  }
  let st;
  try {
    st = await fs.stat(input);
  } catch {
    throw new InputError(`${input}: no such file or folder`);
  }
  if (st.isDirectory()) {
    yield* walk(input);
    return;
  }
  if (/\.csv$/i.test(input)) {
    let col: number | undefined;
    for await (const { line, fields } of csvRows(input)) {
      if (col === undefined) {
        col = headerIndex(fields).get('path');
        if (col === undefined) throw new InputError(`${input}:${line}: no 'path' column`);
        continue;
      }
      const rel = (fields[col] ?? '').trim();
      if (rel) yield path.resolve(path.dirname(input), rel);
    }
    return;
  }
  if (IMAGE.test(input)) {
    yield input;
    return;
  }
  throw new InputError(`${input}: not a folder, CSV, image or glob`);
}
