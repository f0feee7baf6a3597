/**
 * Streaming CSV: one parsed row at a time with its 1-based line number, so errors can name the
 * line. Handles a UTF-8 BOM, CRLF, and double-quoted fields with "" escapes inside one line
 * (the formats here never put a newline inside a field). Blank lines are ignored.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.length === 0) quoted = true;
    else if (c === sep) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
};

/**
 * Rows of a delimited text file; throws only on an unreadable file (callers convert it to a
 * DataError). Only a regular file is read: a device (/dev/zero) would stream one endless line
 * into memory, a FIFO would block for ever.
 */
export async function* csvRows(file: string, sep = ','): AsyncGenerator<CsvRow> {
  const st = await stat(file);
  if (!st.isFile()) throw new Error(`not a regular file (${st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a FIFO' : 'a device or socket'})`);
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
export const headerIndex = (fields: readonly string[]): Map<string, number> => new Map(fields.map((f, i) => [f.trim().toLowerCase(), i] as const));

/** The names in `required` the header lacks. */
export const missingColumns = (header: Map<string, number>, required: readonly string[]): string[] => required.filter((c) => !header.has(c.toLowerCase()));

/** Column names (trimmed, case-insensitive) the header holds more than once: which copy is meant is unknowable. */
export const duplicateColumns = (fields: readonly string[]): string[] => {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const f of fields) {
    const k = f.trim().toLowerCase();
    if (k === '') continue;
    if (seen.has(k)) dup.add(k);
    seen.add(k);
  }
  return [...dup];
};

/** Why a header cannot be used for `required` (missing or duplicated columns), or undefined. */
export const headerProblem = (fields: readonly string[], required: readonly string[]): string | undefined => {
  const missing = missingColumns(headerIndex(fields), required);
  if (missing.length) return `missing column(s): ${missing.join(', ')}`;
  const dup = duplicateColumns(fields);
  return dup.length ? `duplicated column(s): ${dup.join(', ')} (which copy is meant?)` : undefined;
};

/** A plain decimal number: sign, digits, point, exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A strict decimal number: rejects '', 'abc', '1.2.3' (Number('') is 0, which would hide an
 * empty cell) and the other spellings Number() accepts — '0x1', '0b1', '0o7', 'Infinity' — which
 * no label format means.
 */
export const parseNumber = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (!DECIMAL.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
};
