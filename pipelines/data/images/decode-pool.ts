/**
 * A fixed pool of decode workers. `render(jobs, out)` splits one batch's jobs across the
 * workers (contiguous slices, one message each, to keep messaging overhead per batch, not per
 * image) and resolves when every slice is written into the shared batch buffer.
 * The pool is a resource: create it once, `close()` it in the same scope (see `withDecodePool`).
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { DataErrorTag } from '../data-error.js';
import type { InMemoryImage } from '../face-record.js';
import type { SampleTransform } from './sample-transform.js';
import { decodeWorkerSource } from './decode-worker-source.js';
import { LIMITS } from '../../limits.js';

/** What the workers enforce before decoding (pipelines/limits.ts). */
const IMAGE_LIMITS = { imagePixels: LIMITS.imagePixels, imageBytes: LIMITS.imageBytes, boxFactor: LIMITS.boxFactor };

export interface RenderJob {
  /** Position in the batch. */
  readonly slot: number;
  readonly source: string | InMemoryImage;
  readonly transform: SampleTransform;
}

export interface RenderFailure {
  readonly slot: number;
  readonly tag: Extract<DataErrorTag, 'MissingImage' | 'CorruptImage' | 'OutOfRange'>;
  readonly message: string;
}

interface Pending {
  resolve: (f: RenderFailure[]) => void;
  reject: (e: Error) => void;
}

/** Workers to use by default: leave one core to the trainer, but at least one. */
export const defaultWorkerCount = () => Math.max(1, availableParallelism() - 1);

const jimpUrl = (): string => pathToFileURL(createRequire(import.meta.url).resolve('jimp')).href;

export class DecodePool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;

  constructor(readonly size = defaultWorkerCount()) {
    const source = decodeWorkerSource();
    const url = jimpUrl();
    this.workers = Array.from({ length: Math.max(1, size) }, () => {
      const w = new Worker(source, { eval: true, workerData: { jimpUrl: url, limits: IMAGE_LIMITS } });
      w.on('message', (m: { id: number; failures: RenderFailure[] }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.failures);
      });
      // A worker crash is a bug, not bad data: fail everything in flight loudly.
      w.on('error', (err) => this.failAll(err));
      return w;
    });
  }

  /** Renders every job into `out` (a Float32Array over a SharedArrayBuffer); resolves with the failed slots. */
  async render(jobs: readonly RenderJob[], out: Float32Array): Promise<RenderFailure[]> {
    if (this.closed) throw new Error('DecodePool: used after close()');
    if (!(out.buffer instanceof SharedArrayBuffer)) throw new Error('DecodePool.render: out must be backed by a SharedArrayBuffer');
    const n = this.workers.length;
    const per = Math.ceil(jobs.length / n);
    const parts: Promise<RenderFailure[]>[] = [];
    for (let w = 0; w < n && w * per < jobs.length; w++) {
      const id = this.nextId++;
      parts.push(new Promise((resolve, reject) => this.pending.set(id, { resolve, reject })));
      this.workers[w].postMessage({ id, buffer: out.buffer, jobs: jobs.slice(w * per, (w + 1) * per) });
    }
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.failAll(new Error('DecodePool closed'));
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

/** Acquire a pool, use it, always release it (fp-ts bracket). */
export const withDecodePool = <E, A>(size: number | undefined, use: (pool: DecodePool) => TE.TaskEither<E, A>): TE.TaskEither<E, A> =>
  TE.bracket(
    TE.fromTask(async () => new DecodePool(size)),
    use,
    (pool) => TE.fromTask(() => pool.close()),
  );
