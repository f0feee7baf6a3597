/** The checkpoint module's injected file IO, on node:fs (writes are fsynced before the caller's rename). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { assertReplaceable } from './output-target.js';
import type { FileIO } from '../../lib/checkpoint/checkpoint.js';

export const nodeFileIO: FileIO = {
  readFile: async (p) => new Uint8Array(await fs.readFile(p)),
  writeFile: async (p, data) => {
    await fs.mkdir(path.dirname(p), { recursive: true });
    const h = await fs.open(p, 'w');
    try {
      await h.writeFile(data);
      await h.sync();
    } finally {
      await h.close();
    }
  },
  rename: async (from, to) => {
    assertReplaceable(to);
    await fs.rename(from, to);
  },
};
