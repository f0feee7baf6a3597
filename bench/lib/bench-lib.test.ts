import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPythonAnchor } from './python.js';
import { writeJsonAtomic } from './results.js';
import { formatTable } from './table.js';
import { median, timeSync } from './timing.js';

describe('bench/lib', () => {
  it('median of odd and even lengths', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('timeSync runs warm-up plus reps and reports a cpu/wall ratio', () => {
    let calls = 0;
    const t = timeSync(
      () => {
        calls++;
        let s = 0;
        for (let i = 0; i < 1e5; i++) s += i;
        if (s < 0) throw new Error('unreachable');
      },
      { warmup: 2, reps: 3 },
    );
    expect(calls).toBe(5);
    expect(t.reps).toBe(3);
    expect(t.medianMs).toBeGreaterThanOrEqual(t.minMs);
    expect(t.cpuPerWall).toBeGreaterThan(0);
  });

  it('formatTable aligns columns and prints missing cells as -', () => {
    const s = formatTable(
      ['w', 'a', 'b'],
      [
        ['x', 1.5, null],
        ['longer', 10, 2],
      ],
    );
    const lines = s.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^x\s+1\.50\s+-$/);
    expect(lines[3]).toMatch(/^longer\s+10\.00\s+2\.00$/);
    expect(lines[2].indexOf('1.50') + 4).toBe(lines[3].indexOf('10.00') + 5);
  });

  it('writeJsonAtomic leaves the JSON and no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-lib-'));
    const path = join(dir, 'sub', 'r.json');
    writeJsonAtomic(path, { rows: [{ workload: 'w', engine: 'e', metric: 'gflops', value: 1, unit: 'GFLOP/s' }] });
    expect(JSON.parse(readFileSync(path, 'utf8')).rows[0].value).toBe(1);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['r.json']);
  });

  it('runPythonAnchor parses the last JSON line, reports skips and failures as values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-py-'));
    const ok = join(dir, 'ok.py');
    writeFileSync(ok, 'print("noise")\nprint(\'{"rows": [1, 2]}\')\n');
    const skip = join(dir, 'skip.py');
    writeFileSync(skip, 'print(\'{"skipped": "no torch: apt-get install python3-torch"}\')\n');
    const r = runPythonAnchor<{ rows: number[] }>(ok, [], { python: 'python3' });
    expect(r.ok && r.value.rows).toEqual([1, 2]);
    const s = runPythonAnchor(skip, [], { python: 'python3' });
    expect(s).toEqual({ ok: false, reason: 'no torch: apt-get install python3-torch' });
    const missing = runPythonAnchor(ok, [], { python: join(dir, 'no-such-python') });
    expect(missing.ok).toBe(false);
  });
});

describe('writeResults', () => {
  it('writes the rows as a plain list and the run context beside it', async () => {
    const { writeResults } = await import('./results.js');
    const dir = mkdtempSync(join(tmpdir(), 'bench-res-'));
    const row = { workload: 'matmul 512', engine: 'e', metric: 'gflops', value: 2, unit: 'GFLOP/s' };
    writeResults(join(dir, 'k.json'), { benchmark: 'k', date: 'd', machine: 'm', notes: ['n'], rows: [row] });
    expect(JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8'))).toEqual([row]);
    expect(JSON.parse(readFileSync(join(dir, 'k.meta.json'), 'utf8'))).toEqual({ benchmark: 'k', date: 'd', machine: 'm', notes: ['n'] });
    expect(readdirSync(dir).sort()).toEqual(['k.json', 'k.meta.json']);
  });
});
