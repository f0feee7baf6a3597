/** The shape of a CLI command module, and the shared way to report a usage error. */
import * as E from 'fp-ts/lib/Either.js';
import { helpText, parseArgv, resolveOptions, type CommandSpec, type ParsedOptions } from './args.js';
import { loadConfigFile } from './config-file.js';

export interface CommandModule {
  readonly spec: CommandSpec;
  /** Returns the process exit code. */
  run(argv: readonly string[]): Promise<number>;
}

export const usageError = (message: string): number => {
  process.stderr.write(`${message}\n`);
  return 2;
};

export const failure = (message: string): number => {
  process.stderr.write(`error: ${message}\n`);
  return 1;
};

/**
 * argv -> resolved options (defaults <- --config file <- flags), or prints help / a usage error.
 * Returns a number (exit code) when the command should stop right away.
 */
export const parseCommand = async (
  spec: CommandSpec,
  argv: readonly string[],
): Promise<number | { options: ParsedOptions; positionals: readonly string[] }> => {
  const parsed = parseArgv(spec, argv);
  if (E.isLeft(parsed)) return usageError(parsed.left.message);
  if (parsed.right.help) {
    process.stdout.write(helpText(spec) + '\n');
    return 0;
  }
  let config: Record<string, unknown> = {};
  const configPath = parsed.right.options['config'];
  if (typeof configPath === 'string') {
    const loaded = await loadConfigFile(configPath);
    if (E.isLeft(loaded)) return usageError(loaded.left.message);
    config = loaded.right;
  }
  const resolved = resolveOptions(spec, parsed.right, config, typeof configPath === 'string' ? configPath : 'config');
  if (E.isLeft(resolved)) return usageError(resolved.left.message);
  return { options: resolved.right, positionals: parsed.right.positionals };
};
