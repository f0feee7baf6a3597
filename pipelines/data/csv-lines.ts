/**
 * Streaming CSV: one parsed row at a time with its 1-based line number, so errors can name the
 * line. Handles a UTF-8 BOM, CRLF, and double-quoted fields with "" escapes inside one line
 * (the formats here never put a newline inside a field). Blank lines are ignored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

export const splitCsvLine = (text: string, sep = ','): string[] => {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === sep) { out.push(field); field = ''; }
    else field += c;
  }
  out.push(field);
  return out;
};

/** Rows of a delimited text file; throws only on an unreadable file (callers convert it to a DataError). */
export async function* csvRows(file: string, sep = ','): AsyncGenerator<CsvRow> {
  const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const raw of rl) {
      line++;
      const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (text.trim() === '') continue;
      yield { line, fields: splitCsvLine(text, sep) };
    }
  } finally {
    rl.close();
  }
}

/** Column name -> index, header names trimmed and compared case-insensitively. */
export const headerIndex = (fields: readonly string[]): Map<string, number> =>
  new Map(fields.map((f, i) => [f.trim().toLowerCase(), i] as const));

/** The names in `required` the header lacks. */
export const missingColumns = (header: Map<string, number>, required: readonly string[]): string[] =>
  required.filter((c) => !header.has(c.toLowerCase()));

/** A strict number: rejects '', 'abc', '1.2.3' (Number('') is 0, which would hide an empty cell). */
export const parseNumber = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
};
