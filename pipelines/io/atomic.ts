/**
 * Writes that never leave a half-written file: write a sibling temp file, fsync, rename over the
 * target. Only a regular file (or nothing) is replaced: a rename over a device, FIFO or folder
 * would destroy it (commands check their targets up front with pipelines/io/output-target.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { assertReplaceable } from './output-target.js';

let counter = 0;

export const writeFileAtomic = async (file: string, data: string | Uint8Array): Promise<void> => {
  assertReplaceable(file);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    assertReplaceable(file);
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
};

export const writeJsonAtomic = (file: string, value: unknown) => writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
