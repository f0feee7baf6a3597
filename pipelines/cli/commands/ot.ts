/** `elim ot`: entropic OT problems as JSON on stdin -> plans, potentials and shifts on stdout. */
import * as E from 'fp-ts/lib/Either.js';
import type { CommandSpec } from '../args.js';
import { LIMITS } from '../../limits.js';
import { parseCommand } from '../command.js';
import { runJsonCommand } from '../stdin-json.js';
import { runOtJson } from '../../../lib/ot/interop.js';

export const spec: CommandSpec = {
  name: 'ot',
  summary: 'solve entropic OT problems read as JSON on stdin',
  usage:
    'elim ot < problem.json\n' +
    '  input:  {cost: number[][], a: number[], b: number[], lambda | eta, iterations?, tolerance?, mode?: "scaling"|"log", dtype?: "float32"|"float64"} or a list of them\n' +
    '  output: {plan, u, v, iterations, converged, marginalError, transportCost, shift} (or a list)',
  options: [],
};

export const run = async (argv: readonly string[]): Promise<number> => {
  const parsed = await parseCommand(spec, argv);
  if (typeof parsed === 'number') return parsed;
  return runJsonCommand('ot', (input) => {
    const capped = iterationCapProblem(input);
    return capped ? E.left({ message: capped }) : runOtJson(input);
  });
};

/** The Sinkhorn iteration cap (pipelines/limits.ts), checked before the solver allocates its per-iteration trace. */
export const iterationCapProblem = (input: unknown): string | undefined => {
  const list = Array.isArray(input) ? input : [input];
  for (let k = 0; k < list.length; k++) {
    const it = (list[k] as { iterations?: unknown } | null)?.iterations;
    if (typeof it === 'number' && it > LIMITS.otIterations.max)
      return `${Array.isArray(input) ? `[${k}].` : ''}iterations: at most ${LIMITS.otIterations.max}, got ${it}`;
  }
  return undefined;
};
