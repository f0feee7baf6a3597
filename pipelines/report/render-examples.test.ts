/**
 * Renders one example of each plot for eyeballing. Skipped unless REPORT_EXAMPLES_DIR is set:
 *   REPORT_EXAMPLES_DIR=/tmp/report-examples npx vitest run pipelines/report/render-examples
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { plotLossCurves } from './plot/loss-curves.js';

const dir = process.env.REPORT_EXAMPLES_DIR;

const mk = (f: (t: number) => number, n = 500, every = 1): [number, number][] =>
  Array.from({ length: Math.floor(n / every) + 1 }, (_, i) => [i * every, f(i * every)]);

describe.runIf(dir)('report examples', () => {
  it('renders the loss curves', async () => {
    mkdirSync(dir!, { recursive: true });
    const series = [
      { name: 'L_total', points: mk((t) => 2.2 * Math.exp(-t / 120) + 0.4 + 0.05 * Math.sin(t / 3)) },
      { name: 'L_main', points: mk((t) => 1.5 * Math.exp(-t / 100) + 0.25 + 0.03 * Math.sin(t / 5)) },
      { name: 'L_va', points: mk((t) => 0.5 * Math.exp(-t / 150) + 0.1) },
      { name: 'L_PCC', points: mk((t) => 0.9 * Math.exp(-t / 90) + 0.05) },
      { name: 'L_CCC', points: mk((t) => 0.95 * Math.exp(-t / 80) + 0.04) },
    ];
    const validation = [{ name: 'L_total', points: mk((t) => 2.3 * Math.exp(-t / 130) + 0.5, 500, 50) }];
    writeFileSync(join(dir!, 'loss-curves.png'), await plotLossCurves(series, { validation }));
    writeFileSync(join(dir!, 'loss-curves-log.png'), await plotLossCurves(series, { validation, logY: true, title: 'Training losses (log scale)' }));
  });
});
