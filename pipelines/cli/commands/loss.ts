/** `elim loss`: {labels, scores, std?} on stdin -> the baseline objective, its terms and d total/d scores. */
import type { CommandSpec } from '../args.js';
import { parseCommand } from '../command.js';
import { runJsonCommand } from '../stdin-json.js';
import { runLossJson } from '../../../lib/metrics/interop.js';

export const spec: CommandSpec = {
  name: 'loss',
  summary: 'the baseline objective and its gradient for JSON on stdin',
  usage:
    'elim loss < input.json\n' +
    '  input:  {labels: [[v, a], ...], scores: [[v, a], ...], std?: "population"|"unbiased"}\n' +
    '  output: {total, mseValence, mseArousal, pccLoss, cccLoss, grad}',
  options: [],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  return runJsonCommand('loss', runLossJson);
};
