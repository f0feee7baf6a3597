/**
 * Shared body of the JSON interop commands (`elim ot`, `elim metrics`, `elim loss`): read all of
 * stdin, parse JSON, run a pure function, print the result as JSON. A malformed input prints a
 * message naming the field on stderr, exits non-zero, and prints nothing on stdout.
 */
import * as E from 'fp-ts/lib/Either.js';

export const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

export const runJsonCommand = async (name: string, f: (input: unknown) => E.Either<{ readonly message: string }, unknown>, text?: string): Promise<number> => {
  const raw = text ?? (await readStdin());
  let input: unknown;
  try {
    input = JSON.parse(raw);
  } catch (err) {
    process.stderr.write(`elim ${name}: stdin is not valid JSON: ${(err as Error).message}\n`);
    return 2;
  }
  const out = f(input);
  if (E.isLeft(out)) {
    process.stderr.write(`elim ${name}: ${out.left.message}\n`);
    return 2;
  }
  writeJsonStream(out.right, (chunk) => process.stdout.write(chunk));
  process.stdout.write('\n');
  return 0;
};

/**
 * Writes `value` as the same text JSON.stringify would give, in chunks of about `chunkChars`:
 * a 5000 x 5000 plan is over V8's longest string as one JSON text, but streams fine.
 */
export const writeJsonStream = (value: unknown, write: (chunk: string) => void, chunkChars = 1 << 20): void => {
  let buf = '';
  const put = (s: string) => {
    buf += s;
    if (buf.length >= chunkChars) {
      write(buf);
      buf = '';
    }
  };
  const emit = (v: unknown): void => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON: () => unknown }).toJSON();
    if (Array.isArray(v)) {
      const a = v as ArrayLike<unknown>;
      put('[');
      for (let i = 0; i < a.length; i++) {
        if (i) put(',');
        const x = a[i];
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') put('null');
        else emit(x);
      }
      put(']');
    } else if (v !== null && typeof v === 'object') {
      put('{');
      let first = true;
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
        put(`${first ? '' : ','}${JSON.stringify(k)}:`);
        first = false;
        emit(x);
      }
      put('}');
    } else put(JSON.stringify(v) ?? 'null');
  };
  emit(value);
  if (buf) write(buf);
};
