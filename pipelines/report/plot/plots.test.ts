/** Every plot decodes as a PNG of the requested size, is not blank, and shows its series colours. */
import { Jimp } from 'jimp';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../lib/rng/rng.js';
import type { Rgba } from '../raster/canvas.js';
import { diverging, seriesColor } from './colors.js';
import { plotLossCurves } from './loss-curves.js';
import { plotPerIdentityErrors } from './per-identity-errors.js';
import { plotTsneSideBySide } from './tsne-panels.js';
import { plotVaScatter } from './va-scatter.js';

const decode = async (png: Buffer) => {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  const img = await Jimp.fromBuffer(png);
  return img.bitmap;
};

const luminanceVariance = (data: Buffer): number => {
  let s = 0,
    s2 = 0;
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    s += l;
    s2 += l * l;
  }
  return s2 / n - (s / n) ** 2;
};

/** Pixels within `tol` (per channel) of a colour. */
const countNear = (data: Buffer, c: Rgba, tol = 12): number => {
  let k = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - c[0]) <= tol && Math.abs(data[i + 1] - c[1]) <= tol && Math.abs(data[i + 2] - c[2]) <= tol) k++;
  }
  return k;
};

const nonWhite = (data: Buffer): number => {
  let k = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250) k++;
  return k;
};

const curve = (f: (t: number) => number, n: number): [number, number][] => Array.from({ length: n }, (_, i) => [i, f(i)]);

describe('plots', () => {
  it('plotLossCurves: linear and log, with a validation series', async () => {
    const series = [
      { name: 'L_total', points: curve((t) => 2 * Math.exp(-t / 50) + 0.3, 200) },
      { name: 'L_main', points: curve((t) => Math.exp(-t / 40) + 0.2, 200) },
      { name: 'L_PCC', points: curve((t) => 0.5 * Math.exp(-t / 30) + 0.01, 200) },
    ];
    const validation = [{ name: 'L_total', points: curve((t) => 2 * Math.exp(-t / 50) + 0.4, 10).map(([x, y]): [number, number] => [x * 20, y]) }];
    for (const logY of [false, true]) {
      const bmp = await decode(await plotLossCurves(series, { width: 640, height: 400, logY, validation }));
      expect([bmp.width, bmp.height]).toEqual([640, 400]);
      expect(luminanceVariance(bmp.data)).toBeGreaterThan(50);
      for (let i = 0; i < 3; i++) expect(countNear(bmp.data, seriesColor(i))).toBeGreaterThan(100);
    }
  });

  it('plotLossCurves: empty input and non-positive values on a log axis still render', async () => {
    const empty = await decode(await plotLossCurves([], { width: 300, height: 200 }));
    expect([empty.width, empty.height]).toEqual([300, 200]);
    const withZero = await decode(
      await plotLossCurves(
        [
          {
            name: 'L',
            points: [
              [0, 1],
              [1, 0],
              [2, 0.5],
              [3, 0.25],
            ],
          },
        ],
        { width: 300, height: 200, logY: true },
      ),
    );
    expect(countNear(withZero.data, seriesColor(0))).toBeGreaterThan(10);
    for (const png of [await plotVaScatter([], [], { width: 400, height: 220 }), await plotTsneSideBySide([], { width: 400, height: 220 })]) {
      const bmp = await decode(png);
      expect([bmp.width, bmp.height]).toEqual([400, 220]);
      expect(nonWhite(bmp.data)).toBeGreaterThan(50);
    }
  });

  it('plotVaScatter: two panels with points in both axis colours', async () => {
    const rng = Rng.fromSeed(4);
    const yTrue: [number, number][] = Array.from({ length: 200 }, () => [rng.uniform() * 2 - 1, rng.uniform() * 2 - 1]);
    const yPred = yTrue.map(([v, a]): [number, number] => [0.8 * v + 0.1 * rng.normal(), 0.6 * a + 0.1 * rng.normal()]);
    const bmp = await decode(await plotVaScatter(yTrue, yPred, { width: 800, height: 420, alpha: 1 }));
    expect([bmp.width, bmp.height]).toEqual([800, 420]);
    expect(luminanceVariance(bmp.data)).toBeGreaterThan(50);
    // valence points left, arousal points right
    expect(countNear(bmp.data, seriesColor(0))).toBeGreaterThan(200);
    expect(countNear(bmp.data, seriesColor(1))).toBeGreaterThan(200);
    await expect(plotVaScatter(yTrue, yPred.slice(1))).rejects.toThrow(RangeError);
  });

  it('plotPerIdentityErrors: height grows with rows; bars in both colours', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ identity: `id${i}`, rmseV: 0.1 + 0.05 * i, rmseA: 0.3 - 0.02 * i, n: 10 + i, cccV: 0.5, cccA: 0.4 }));
    const small = await decode(await plotPerIdentityErrors(rows.slice(0, 3), { width: 600 }));
    const big = await decode(await plotPerIdentityErrors(rows, { width: 600 }));
    expect(small.width).toBe(600);
    expect(big.height).toBeGreaterThan(small.height);
    expect(countNear(big.data, seriesColor(0), 2)).toBeGreaterThan(500);
    expect(countNear(big.data, seriesColor(1), 2)).toBeGreaterThan(500);
    const empty = await decode(await plotPerIdentityErrors([]));
    expect(nonWhite(empty.data)).toBeGreaterThan(100); // axes and a "no identities" note
  });

  it('plotTsneSideBySide: panels and a colour bar spanning the diverging map', async () => {
    const rng = Rng.fromSeed(9);
    const panel = (title: string) => {
      const points = Array.from({ length: 120 }, (): [number, number] => [rng.normal() * 10, rng.normal() * 10]);
      return { title, points, values: points.map(([x]) => Math.tanh(x / 10)) };
    };
    const bmp = await decode(await plotTsneSideBySide([panel('ELIM'), panel('Baseline')], { width: 900, height: 460 }));
    expect([bmp.width, bmp.height]).toEqual([900, 460]);
    expect(luminanceVariance(bmp.data)).toBeGreaterThan(50);
    // the colour bar's ends carry the map's extreme colours
    expect(countNear(bmp.data, diverging(0), 6)).toBeGreaterThan(20);
    expect(countNear(bmp.data, diverging(1), 6)).toBeGreaterThan(20);
    await expect(plotTsneSideBySide([{ title: 'x', points: [[0, 0]], values: [] }])).rejects.toThrow(RangeError);
  });
});
