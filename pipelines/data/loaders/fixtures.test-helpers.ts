/** Fixture builders shared by the loader tests: tiny datasets in each exact on-disk format, in a temp dir. */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { encodePng } from '../synthetic/write-synthetic.js';

export const tempDir = (prefix: string) => mkdtemp(path.join(tmpdir(), `elim-${prefix}-`));

/** A small valid PNG (solid colour). */
export const pngBytes = (w = 8, h = 8, rgb: [number, number, number] = [200, 100, 50]) => {
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([...rgb, 255], 4 * i);
  return encodePng(px, w, h);
};

export const writeAt = async (file: string, data: string | Uint8Array) => {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
};

export const landmarks68 = (x0 = 10, y0 = 10, side = 40): number[][] =>
  Array.from({ length: 68 }, (_, k) => [x0 + (side * (k % 17)) / 16, y0 + (side * Math.floor(k / 17)) / 3]);
