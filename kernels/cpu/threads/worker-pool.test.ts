import { describe, expect, it } from 'vitest';
import { WorkerPool, poolWorkerSource } from './worker-pool.js';
import { envVar, hardwareThreads, isNode, mayBlock, newBuffer, sharedMemoryAvailable } from './host.js';

/** Worker side of a test pool: adds p to arrs[0][i] for its chunk, or throws when asked. */
function addSetup(): unknown {
  return { calls: 0 };
}
function addRun(ctx: { calls: number }, job: { a: Float32Array; p: number; next: Int32Array; n: number; fail: boolean }): number {
  ctx.calls++;
  if (job.fail) throw new Error(`asked to fail (call ${ctx.calls})`);
  let done = 0;
  for (let i = Atomics.add(job.next, 0, 1); i < job.n; i = Atomics.add(job.next, 0, 1)) {
    job.a[i] = job.a[i]! + job.p;
    done++;
  }
  return done;
}

const makePool = () =>
  new WorkerPool<object, { a: Float32Array; p: number; next: Int32Array; n: number; fail: boolean }>({
    name: 'test pool',
    functions: [],
    setup: addSetup,
    run: addRun as (ctx: never, job: { a: Float32Array; p: number; next: Int32Array; n: number; fail: boolean }) => number,
    init: () => ({}),
    probe: () => ({
      job: { a: new Float32Array(new SharedArrayBuffer(4)), p: 0, next: new Int32Array(new SharedArrayBuffer(4)), n: 0, fail: false },
      ok: () => true,
    }),
  });

describe('host queries (no node:* import)', () => {
  it('see Node: env read per call, hardware threads, shared memory, blocking allowed', () => {
    expect(isNode()).toBe(true);
    process.env.ELIM_TEST_HOST = 'x';
    expect(envVar('ELIM_TEST_HOST')).toBe('x');
    delete process.env.ELIM_TEST_HOST;
    expect(envVar('ELIM_TEST_HOST')).toBeUndefined();
    expect(hardwareThreads()).toBeGreaterThanOrEqual(1);
    expect(sharedMemoryAvailable()).toBe(true);
    expect(newBuffer(8)).toBeInstanceOf(SharedArrayBuffer);
    expect(mayBlock()).toBe(true);
  });
});

describe('worker pool', () => {
  it('the Node and the Web Worker programs are plain JavaScript', () => {
    const spec = { name: 't', functions: [], setup: addSetup, run: addRun as never, init: () => ({}), probe: () => ({ job: {}, ok: () => true }) };
    for (const host of ['node', 'web'] as const) expect(() => new Function(poolWorkerSource(spec, host))).not.toThrow();
    expect(poolWorkerSource(spec, 'web')).toMatch(/self\.onmessage/);
  });

  it('shares chunks between the calling thread and a worker, and reports a worker error with its message', () => {
    const pool = makePool();
    expect(pool.ensure(1), pool.failure).toBe(1);
    const n = 20_000;
    const a = new Float32Array(new SharedArrayBuffer(n * 4));
    const next = pool.next;
    Atomics.store(next, 0, 0);
    const job = { a, p: 2, next, n, fail: false };
    const done = pool.run(
      job,
      1,
      () => addRun({ calls: 0 }, job),
      () => Atomics.store(next, 0, n),
    );
    expect(done.reduce((x, y) => x + y, 0)).toBe(n); // every chunk ran exactly once
    expect(a.every((v) => v === 2)).toBe(true);
    Atomics.store(next, 0, 0);
    expect(() =>
      pool.run(
        { ...job, fail: true },
        1,
        () => 0,
        () => undefined,
      ),
    ).toThrow(/test pool: worker failed: .*asked to fail/);
  });
});
