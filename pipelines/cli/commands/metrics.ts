/** `elim metrics`: {yTrue, yPred, sagrZero?} on stdin -> RMSE/SAGR/PCC/CCC per axis on stdout. */
import type { CommandSpec } from '../args.js';
import { parseCommand } from '../command.js';
import { runJsonCommand } from '../stdin-json.js';
import { runMetricsJson } from '../../../lib/metrics/interop.js';

export const spec: CommandSpec = {
  name: 'metrics',
  summary: 'RMSE/SAGR/PCC/CCC of predictions read as JSON on stdin',
  usage:
    'elim metrics < input.json\n' +
    '  input:  {yTrue: [[v, a], ...], yPred: [[v, a], ...], sagrZero?}\n' +
    '  output: {valence: {rmse, sagr, pcc, ccc}, arousal: {...}}',
  options: [],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  return runJsonCommand('metrics', runMetricsJson);
};
