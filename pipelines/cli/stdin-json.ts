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

export const runJsonCommand = async (
  name: string,
  f: (input: unknown) => E.Either<{ readonly message: string }, unknown>,
  text?: string,
): Promise<number> => {
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
  process.stdout.write(JSON.stringify(out.right) + '\n');
  return 0;
};
