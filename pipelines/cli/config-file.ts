/** Reads a JSON or YAML config file into a plain object; any problem is a CliError naming the file. */
import * as E from 'fp-ts/lib/Either.js';
import { promises as fs } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { cliError, type CliError } from './args.js';

export const loadConfigFile = async (file: string): Promise<E.Either<CliError, Record<string, unknown>>> => {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    return E.left(cliError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`));
  }
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    return E.left(cliError(`config file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(err as Error).message}`));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return E.left(cliError(`config file ${file} must hold an object of options`));
  return E.right(value as Record<string, unknown>);
};
