/**
 * Renders one example of each plot for eyeballing. Skipped unless REPORT_EXAMPLES_DIR is set:
 *   REPORT_EXAMPLES_DIR=/tmp/report-examples npx vitest run pipelines/report/render-examples
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { Rng } from '../../lib/rng/rng.js';
import { plotLossCurves } from './plot/loss-curves.js';
import { plotPerIdentityErrors } from './plot/per-identity-errors.js';
import { plotTsneSideBySide } from './plot/tsne-panels.js';
import { plotVaScatter } from './plot/va-scatter.js';
import { createCanvas } from './raster/canvas.js';
import { encodePng } from './raster/png.js';
import { drawText } from './raster/text.js';
import { formatCompareTable } from './tables/compare-table.js';
import { markdownSummary } from './tables/markdown-summary.js';
import { tsne } from './tsne/tsne.js';
import type { CompareResult, MetricSet } from './types.js';

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

  it('renders the VA scatter', async () => {
    const rng = Rng.fromSeed(1);
    const yTrue: [number, number][] = Array.from({ length: 400 }, () => [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1]);
    const yPred = yTrue.map(([v, a]): [number, number] => [0.7 * v + 0.15 * rng.normal(), 0.5 * a + 0.1 + 0.2 * rng.normal()]);
    writeFileSync(join(dir!, 'va-scatter.png'), await plotVaScatter(yTrue, yPred, { title: 'Held-out identities: predicted vs true' }));
  });

  it('renders per-identity errors', async () => {
    const rng = Rng.fromSeed(2);
    const rows = Array.from({ length: 14 }, (_, i) => ({
      identity: `subject_${String(i + 1).padStart(2, '0')}`,
      rmseV: 0.2 + 0.3 * rng.uniform(),
      rmseA: 0.15 + 0.3 * rng.uniform(),
      cccV: 0.8 * rng.uniform() - 0.1,
      cccA: 0.7 * rng.uniform(),
      n: 50 + rng.int(400),
    }));
    writeFileSync(join(dir!, 'per-identity-errors.png'), await plotPerIdentityErrors(rows));
  });

  it('renders t-SNE side by side', async () => {
    const rng = Rng.fromSeed(3);
    const n = 240,
      d = 16;
    const valence = Array.from({ length: n }, () => rng.uniform() * 2 - 1);
    const ids = Array.from({ length: n }, (_, i) => i % 6);
    const mkX = (idWeight: number) => {
      const x = new Float64Array(n * d);
      for (let i = 0; i < n; i++)
        for (let k = 0; k < d; k++) {
          x[i * d + k] = (k === 0 ? 3 * valence[i] : 0) + idWeight * Math.sin(ids[i] * 1.7 + k) * 2 + 0.3 * rng.normal();
        }
      return x;
    };
    const toPts = (y: Float64Array) => Array.from({ length: n }, (_, i): [number, number] => [y[2 * i], y[2 * i + 1]]);
    const elim = tsne(mkX(0.2), n, d, { seed: 1, iterations: 400, perplexity: 20 });
    const base = tsne(mkX(1.5), n, d, { seed: 1, iterations: 400, perplexity: 20 });
    writeFileSync(
      join(dir!, 'tsne.png'),
      await plotTsneSideBySide(
        [
          { title: 'ELIM', points: toPts(elim), values: valence },
          { title: 'Baseline', points: toPts(base), values: valence },
        ],
        { title: 't-SNE of features, coloured by valence' },
      ),
    );
  });

  it('renders the font sheet', async () => {
    const c = createCanvas(700, 120);
    let line = '';
    let y = 6;
    for (let code = 32; code < 127; code++) {
      line += String.fromCharCode(code);
      if (line.length === 32 || code === 126) {
        drawText(c, 6, y, line, { scale: 2 });
        y += 24;
        line = '';
      }
    }
    drawText(c, 6, y, 'mean ± std -0.123', { scale: 2 });
    writeFileSync(join(dir!, 'font.png'), await encodePng(c));
  });

  it('writes the compare table and a summary', () => {
    const rng = Rng.fromSeed(5);
    const stat = (m: number) => {
      const values = [0, 1, 2].map(() => m + 0.02 * rng.normal());
      const mean = values.reduce((a, b) => a + b, 0) / 3;
      return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 2), values };
    };
    const ms = (q: number): MetricSet => ({ rmse: stat(0.45 - q), sagr: stat(0.7 + q), pcc: stat(0.5 + q), ccc: stat(0.42 + q) });
    const compare: CompareResult = {
      seeds: [1, 2, 3],
      heldOut: { elim: { valence: ms(0.04), arousal: ms(0.03) }, baseline: { valence: ms(0), arousal: ms(0) } },
      train: { elim: { valence: ms(0.01), arousal: ms(0.0) }, baseline: { valence: ms(0.02), arousal: ms(0.01) } },
    };
    writeFileSync(join(dir!, 'compare-table.txt'), formatCompareTable(compare));
    writeFileSync(
      join(dir!, 'summary.md'),
      markdownSummary({
        title: 'ELIM vs baseline (synthetic)',
        config: { seeds: [1, 2, 3], train: { lr: 1e-3, steps: 500 }, ot: { epsilon: 0.05 } },
        final: [{ split: 'held-out', valence: { rmse: 0.41, sagr: 0.74, pcc: 0.54, ccc: 0.46 }, arousal: { rmse: 0.42, sagr: 0.73, pcc: 0.53, ccc: 0.45 } }],
        perIdentity: [
          { identity: 's1', rmseV: 0.3, rmseA: 0.35, n: 40, cccV: 0.4, cccA: 0.3 },
          { identity: 's2', rmseV: 0.5, rmseA: 0.45, n: 38 },
        ],
        compare,
        plots: [{ title: 'Loss curves', file: 'loss-curves.png' }],
      }),
    );
  });
});
