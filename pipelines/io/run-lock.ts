/**
 * One writer per run folder. Two runs into one `--out` would share its temp files and mix one
 * run's config with the other's metrics, so a run takes `<dir>/.elim.lock` (created exclusively,
 * holding its pid) before writing anything there, and removes it when done. A second run is
 * refused with the owner's pid; a lock whose process is gone (SIGKILL, a crash, a reboot) is
 * stale and taken over.
 */
import * as E from 'fp-ts/lib/Either.js';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';

export const LOCK_NAME = '.elim.lock';

export interface RunLock {
  readonly file: string;
  release(): void;
}

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const ownerOf = (file: string): number | undefined => {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

const tryCreate = (file: string): boolean => {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
};

/** Creates `dir` if needed and takes its lock; `option` names the flag in messages (e.g. `--out`). */
export const acquireRunLock = (dir: string, option = '--out'): E.Either<string, RunLock> => {
  try {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) return E.left(`${option} ${dir} exists and is not a folder (a run folder holds several files): choose another ${option}`);
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    return E.left(`${option} ${dir}: cannot create the run folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const file = path.join(dir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      if (tryCreate(file)) {
        let held = true;
        const release = () => {
          if (!held) return;
          held = false;
          process.off('exit', release);
          if (ownerOf(file) === process.pid) unlinkSync(file);
        };
        process.on('exit', release); // a run that exits through process.exit still frees its folder
        return E.right({ file, release });
      }
    } catch (err) {
      return E.left(`${option} ${dir}: cannot create the lock file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    const owner = ownerOf(file);
    if (owner !== undefined && owner !== process.pid && alive(owner))
      return E.left(`${option} ${dir} is in use by another run (pid ${owner}, lock file ${file}): wait for it to finish or choose another ${option}`);
    if (owner === process.pid) return E.left(`${option} ${dir} is already in use by this process`);
    // stale: its process is gone (or the file is unreadable garbage); take it over
    try {
      unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        return E.left(`${option} ${dir}: cannot remove the stale lock ${file} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  return E.left(`${option} ${dir}: another run took the lock ${file} at the same time`);
};
