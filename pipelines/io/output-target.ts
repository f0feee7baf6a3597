/**
 * Where a command may write a file, checked before the work starts: not a folder, not a device,
 * FIFO or socket (an atomic write renames a regular file over its target, which would replace
 * `/dev/null` itself), and not one of the command's own inputs (which it would destroy).
 */
import { statSync, type Stats } from 'node:fs';
import * as path from 'node:path';

const stat = (p: string): Stats | undefined => {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
};

const kind = (s: Stats) =>
  s.isDirectory()
    ? 'a folder'
    : s.isCharacterDevice() || s.isBlockDevice()
      ? 'a device'
      : s.isFIFO()
        ? 'a FIFO'
        : s.isSocket()
          ? 'a socket'
          : 'not a regular file';

/** Why `target` cannot receive a file (undefined: it can). `option` names the flag, `inputs` the files the command reads. */
export const outputFileProblem = (target: string, inputs: readonly string[] = [], option = '--out'): string | undefined => {
  const st = stat(target);
  if (st && !st.isFile()) return `${option} ${target} is ${kind(st)}: name a regular file to write`;
  const parent = stat(path.dirname(path.resolve(target)));
  if (parent && !parent.isDirectory()) return `${option} ${target}: ${path.dirname(target)} is not a folder`;
  if (st)
    for (const input of inputs) {
      const i = stat(input);
      if (i && i.isFile() && i.dev === st.dev && i.ino === st.ino)
        return `${option} ${target} is also an input (${input}): writing it would destroy it; choose another ${option}`;
    }
  return undefined;
};

/** The check `writeFileAtomic` makes right before its rename (throws: a race the early check could not see). */
export const assertReplaceable = (target: string): void => {
  const st = stat(target);
  if (st && !st.isFile()) throw new Error(`refusing to replace ${target}: it is ${kind(st)}, not a regular file`);
};
