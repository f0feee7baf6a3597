import { describe, expect, it } from 'vitest';
import { jsonLines, lastJsonLine, nodeMaxRssImport, runJsonChild } from './child.js';
import { selfTimes, type CpuProfile } from './cpuprofile.js';

describe('bench/lib child and cpuprofile', () => {
  it('lastJsonLine takes the last JSON object line; jsonLines takes them all', () => {
    const out = 'noise\n{"a": 1}\n[1, 2]\n{"b": 2}\ntrailing text\n';
    expect(lastJsonLine(out)).toEqual({ b: 2 });
    expect(jsonLines(out)).toEqual([{ a: 1 }, { b: 2 }]);
    expect(lastJsonLine('nothing here')).toBeNull();
  });

  it('runJsonChild returns the answer, a skip reason, or a failure', () => {
    const ok = runJsonChild<{ x: number }>(process.execPath, ['-e', 'console.log("hi"); console.log(JSON.stringify({ x: 3 }))']);
    expect(ok.ok && ok.value.x).toBe(3);
    const skip = runJsonChild(process.execPath, ['-e', 'console.log(JSON.stringify({ skipped: "why" }))']);
    expect(skip).toMatchObject({ ok: false, reason: 'why' });
    const bad = runJsonChild(process.execPath, ['-e', 'process.exit(3)']);
    expect(bad.ok).toBe(false);
  });

  it('nodeMaxRssImport reports the child peak RSS as its last line', () => {
    const r = runJsonChild<{ maxRssKiB: number }>(process.execPath, [...nodeMaxRssImport(), '-e', 'console.log(JSON.stringify({ other: 1 }))']);
    expect(r.ok && r.value.maxRssKiB).toBeGreaterThan(1000);
  });

  it('selfTimes sums samples per function, largest first', () => {
    const frame = (functionName: string, line: number) => ({ functionName, url: 'file:///x/dist/kernels/k.js', lineNumber: line });
    const p: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', -1) },
        { id: 2, callFrame: frame('gemm', 9) },
        { id: 3, callFrame: frame('im2col', 19) },
      ],
      samples: [2, 2, 3, 2],
      startTime: 0,
      endTime: 4000, // 4 ms, 1 ms a sample
    };
    const s = selfTimes(p);
    expect(s[0]).toEqual({ name: 'gemm', where: 'kernels/k.js:10', ms: 3, share: 0.75 });
    expect(s[1].name).toBe('im2col');
  });
});
