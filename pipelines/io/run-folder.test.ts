/**
 * Run folders and output files (issue #16): one run per folder (the second refused with the
 * owner's pid, a dead owner's lock taken over), writes that refuse non-regular targets and a
 * command's own inputs, an event log that survives a full disk, and stop signals.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, LOCK_NAME } from './run-lock.js';
import { outputFileProblem } from './output-target.js';
import { writeFileAtomic } from './atomic.js';
import { createEventSink } from '../cli/events.js';
import { installStopSignals, stoppedExitCode, type StopControl } from '../cli/stop-control.js';
import { csvField } from '../train/run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'elim-runfolder-'));

/** A pid that no process has now: a child that has exited. */
const deadPid = (): number => {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
};

describe('run-folder lock', () => {
  it('a second run into the same folder is refused, naming the owner; released, the folder is free again', () => {
    const dir = path.join(tmp, 'locked');
    const first = acquireRunLock(dir);
    expect(E.isRight(first)).toBe(true);
    // another live process holds it (this test's parent stands in for it)
    writeFileSync(path.join(dir, LOCK_NAME), `${process.ppid}\n`);
    const second = acquireRunLock(dir);
    expect(E.isLeft(second) && second.left).toMatch(new RegExp(`in use by another run \\(pid ${process.ppid}`));
    writeFileSync(path.join(dir, LOCK_NAME), `${process.pid}\n`);
    if (E.isRight(first)) first.right.release();
    expect(existsSync(path.join(dir, LOCK_NAME))).toBe(false);
    const again = acquireRunLock(dir);
    expect(E.isRight(again)).toBe(true);
    if (E.isRight(again)) again.right.release();
  });

  it('a stale lock (its process is gone) is taken over', () => {
    const dir = path.join(tmp, 'stale');
    mkdirSync(dir);
    writeFileSync(path.join(dir, LOCK_NAME), `${deadPid()}\n`);
    const lock = acquireRunLock(dir);
    expect(E.isRight(lock)).toBe(true);
    expect(readFileSync(path.join(dir, LOCK_NAME), 'utf8').trim()).toBe(String(process.pid));
    if (E.isRight(lock)) lock.right.release();
  });

  it('an --out naming an existing file is one line, not ENOTDIR', () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    const r = acquireRunLock(file);
    expect(E.isLeft(r) && r.left).toMatch(/--out .*a-file exists and is not a folder/);
  });
});

describe('output targets', () => {
  it('refuses a folder, a FIFO or device, and an input of the same command', () => {
    const fifo = path.join(tmp, 'out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(outputFileProblem(tmp)).toMatch(/is a folder/);
    expect(outputFileProblem(fifo)).toMatch(/is a FIFO/);
    expect(outputFileProblem('/dev/null')).toMatch(/is a device/);
    const input = path.join(tmp, 'labels.csv');
    writeFileSync(input, 'path\n');
    expect(outputFileProblem(input, [input])).toMatch(/is also an input/);
    expect(outputFileProblem(path.join(tmp, 'fresh.csv'), [input])).toBeUndefined();
  });

  it('an atomic write never renames a regular file over a FIFO', async () => {
    const fifo = path.join(tmp, 'atomic.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeFileAtomic(fifo, 'data')).rejects.toThrow(/refusing to replace .* a FIFO/);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it('CSV fields with a carriage return or a newline are quoted', () => {
    expect(csvField('a\rb.png')).toBe('"a\rb.png"');
    expect(csvField('a\nb.png')).toBe('"a\nb.png"');
    expect(csvField('plain.png')).toBe('plain.png');
  });
});

describe('event log on a full disk', () => {
  it('a write failing with ENOSPC reports once and never throws; earlier lines stay whole', () => {
    const dir = path.join(tmp, 'full');
    mkdirSync(dir);
    const log = path.join(dir, 'events.jsonl');
    symlinkSync('/dev/full', log);
    const failures: string[] = [];
    const sink = createEventSink({ logFile: log, quiet: true, onLogFailure: (m) => failures.push(m) });
    expect(() => {
      sink.emit({ event: 'step', step: 1 });
      sink.emit({ event: 'step', step: 2 });
      sink.warn('still fine');
    }).not.toThrow();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/ENOSPC/);

    const ok = path.join(dir, 'ok.jsonl');
    const s2 = createEventSink({ logFile: ok, quiet: true });
    s2.emit({ event: 'a' });
    s2.emit({ event: 'b' });
    const lines = readFileSync(ok, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['a', 'b']);
  });
});

describe('stop signals', () => {
  it('SIGTERM and SIGHUP stop like SIGINT, with the shell exit code of each', () => {
    for (const [sig, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
      ['SIGINT', 130],
    ] as const) {
      const control: StopControl = { stop: false };
      const uninstall = installStopSignals(control);
      try {
        process.emit(sig, sig);
        expect(control).toEqual({ stop: true, signal: sig });
        expect(stoppedExitCode(control)).toBe(code);
      } finally {
        uninstall();
      }
    }
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });
});
