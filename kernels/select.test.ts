import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../lib/errors.js';
import { makeSelectBackend, selectBackend } from './select.js';

const logs: string[] = [];
const log = (m: string) => logs.push(m);
afterEach(() => {
  logs.length = 0;
});

describe('selectBackend', () => {
  it("'cpu' gives the CPU backend and logs its kernel class", async () => {
    const b = await selectBackend('cpu', log);
    expect(b.name).toBe('cpu');
    expect(logs.join('\n')).toContain(b.kernelClass);
  });

  it('an unknown name is a BackendError, not a fallback', async () => {
    await expect(selectBackend('tpu', log)).rejects.toMatchObject({ tag: 'BackendError', message: expect.stringContaining("unknown backend 'tpu'") });
  });

  it('defaults to env ELIM_BACKEND', async () => {
    const prev = process.env.ELIM_BACKEND;
    process.env.ELIM_BACKEND = 'cpu';
    try {
      expect((await selectBackend(undefined, log)).name).toBe('cpu');
    } finally {
      if (prev === undefined) delete process.env.ELIM_BACKEND;
      else process.env.ELIM_BACKEND = prev;
    }
  });

  it("an absent gpujs module: 'gpujs' is a clear BackendError, 'auto' falls back to CPU and says why", async () => {
    const select = makeSelectBackend(() => Promise.reject(new Error('Cannot find module gpujs-backend')));
    const err = await select('gpujs', log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).message).toMatch(/could not be loaded.*Cannot find module/);
    const b = await select('auto', log);
    expect(b.name).toBe('cpu');
    expect(logs.some((m) => m.includes('no GL-backed gpujs'))).toBe(true);
  });

  it("'auto' takes gpujs only when it is GL-backed (requireGL), and a failed start is a BackendError when explicit", async () => {
    const asked: boolean[] = [];
    const select = makeSelectBackend(async () => ({
      createGpujsBackend: (o) => {
        asked.push(o?.requireGL ?? false);
        throw new Error('no GL context');
      },
    }));
    expect((await select('auto', log)).name).toBe('cpu');
    await expect(select('gpujs', log)).rejects.toMatchObject({ tag: 'BackendError' });
    expect(asked).toEqual([true, false]);
  });
});

describe('selectBackend with the real gpujs module', () => {
  it("'auto' returns a working backend and logs what it obtained", async () => {
    const b = await selectBackend('auto', log);
    expect(['cpu', 'gpujs']).toContain(b.name);
    expect(logs.at(-1)).toBe(`[backend] auto -> ${b.name}: ${b.kernelClass}`);
    const h = b.fill(3, 2, 'float32');
    expect(Array.from(b.download(h))).toEqual([2, 2, 2]);
    b.release(h);
  });
});
