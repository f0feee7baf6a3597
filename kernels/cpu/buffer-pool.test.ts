import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.js';

describe('BufferPool', () => {
  it('keys by dtype and length, hands back zeroed memory on request', () => {
    const pool = new BufferPool();
    const a = pool.acquire('float32', 8);
    a.fill(5);
    pool.recycle(a);
    expect(pool.acquire('float64', 8)).not.toBe(a); // other dtype
    expect(pool.acquire('float32', 9)).not.toBe(a); // other length
    const again = pool.acquire('float32', 8, true);
    expect(again).toBe(a);
    expect(Array.from(again)).toEqual(new Array(8).fill(0));
    expect(again.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('retains at most maxRetainedBytes in its free lists', () => {
    const pool = new BufferPool({ maxRetainedBytes: 100 });
    pool.recycle(pool.acquire('float64', 10)); // 80 bytes: kept
    pool.recycle(pool.acquire('float32', 10)); // 40 more: over the cap, dropped
    expect(pool.retainedBytes()).toBe(80);
    pool.clear();
    expect(pool.retainedBytes()).toBe(0);
  });
});
