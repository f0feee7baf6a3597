/**
 * `elim` entry point: dispatches to a command module (loaded lazily so `elim --help` is instant).
 * Exit codes: 0 success, 1 the work failed (bad data, numerical failure), 2 usage or config error.
 */
import type { CommandModule } from './command.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  train: { summary: 'train ELIM or the baseline on synthetic faces or a dataset', load: () => import('./commands/train.js') },
  eval: { summary: 'metrics of a checkpoint on a dataset split, overall and per identity', load: () => import('./commands/eval.js') },
  predict: { summary: 'valence/arousal predictions for images (folder, CSV or glob) to a CSV', load: () => import('./commands/predict.js') },
  compare: { summary: 'ELIM vs baseline over several paired seeds on held-out identities (the main job)', load: () => import('./commands/compare.js') },
  synth: { summary: 'generate the built-in synthetic face benchmark', load: () => import('./commands/synth.js') },
  bench: { summary: 'run the benchmarks (kernels, ot, train)', load: () => import('./commands/bench.js') },
  ot: { summary: 'solve entropic OT problems read as JSON on stdin', load: () => import('./commands/ot.js') },
  metrics: { summary: 'RMSE/SAGR/PCC/CCC of predictions read as JSON on stdin', load: () => import('./commands/metrics.js') },
  loss: { summary: 'the baseline objective and its gradient for JSON on stdin', load: () => import('./commands/loss.js') },
  options: { summary: 'list every ELIM option with its default and provenance (paper or release)', load: () => import('./commands/options.js') },
};

const topHelp = () =>
  [
    'elim — identity-invariant facial expression recognition by optimal transport (ELIM) in TypeScript',
    '',
    'usage: elim <command> [options]     elim <command> --help',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(9)} ${c.summary}`),
    '',
    'backend: --backend auto|cpu|gpujs or ELIM_BACKEND (auto = GPU.js on GL when a GL context exists, else the CPU backend)',
  ].join('\n');

export const main = async (argv: readonly string[]): Promise<number> => {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp() + '\n');
    return name ? 0 : 2;
  }
  if (name === '--version') {
    const { version } = await import('../io/versions.js');
    process.stdout.write(version() + '\n');
    return 0;
  }
  // own keys only: 'constructor' or 'toString' are Object.prototype's, not commands
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    process.stderr.write(`elim: unknown command '${name}'\n\n${topHelp()}\n`);
    return 2;
  }
  const { checkEnvironment, formatProblem } = await import('../limits.js');
  const env = checkEnvironment(process.env);
  if (env._tag === 'Left') {
    process.stderr.write(`elim: ${formatProblem(env.left)}\n`);
    return 2;
  }
  const mod = await cmd.load();
  try {
    return await mod.run(rest);
  } catch (err) {
    // the last guard: every expected failure is a value with its own message; whatever still
    // throws is reported as one line (the stack on request), not as a trace
    process.stderr.write(`error: elim ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.ELIM_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    else process.stderr.write('(set ELIM_DEBUG=1 to see where it came from)\n');
    return 1;
  }
};
