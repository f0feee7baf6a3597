/**
 * The bytes behind a URL, through the global `fetch` (browsers; Node 18+), streamed so that a
 * progress callback sees them arrive: for checkpoints of tens of megabytes a page wants a bar.
 * Errors are values: an HTTP status other than 2xx, a network failure or an abort is a Left
 * with the URL in the message.
 */
import * as E from 'fp-ts/lib/Either.js';

export interface FetchProgress {
  readonly loaded: number;
  /** From Content-Length; null when the server does not say (or compresses). */
  readonly total: number | null;
}

export interface FetchBytesOptions {
  readonly onProgress?: (p: FetchProgress) => void;
  /** An AbortSignal (typed structurally: the engine compiles without the DOM library). */
  readonly signal?: AbortSignalLike;
}

export interface AbortSignalLike {
  readonly aborted: boolean;
}

interface ReaderLike {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
}

interface ResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  readonly body: { getReader(): ReaderLike } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
}

type FetchLike = (url: string, init?: { signal?: AbortSignalLike }) => Promise<ResponseLike>;

export const fetchBytes = async (url: string, o: FetchBytesOptions = {}): Promise<E.Either<string, Uint8Array>> => {
  const f = (globalThis as unknown as { fetch?: FetchLike }).fetch;
  if (!f) return E.left(`cannot fetch ${url}: no fetch in this runtime`);
  try {
    const res = await f(url, o.signal ? { signal: o.signal } : {});
    if (!res.ok) return E.left(`cannot fetch ${url}: HTTP ${res.status} ${res.statusText}`.trimEnd());
    const len = Number.parseInt(res.headers.get('content-length') ?? '', 10);
    const total = Number.isFinite(len) && len >= 0 ? len : null;
    if (!res.body) {
      const all = new Uint8Array(await res.arrayBuffer());
      o.onProgress?.({ loaded: all.length, total });
      return E.right(all);
    }
    const reader = res.body.getReader();
    const parts: Uint8Array[] = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!value) continue;
      parts.push(value);
      loaded += value.length;
      o.onProgress?.({ loaded, total });
    }
    if (total !== null && loaded !== total) return E.left(`cannot fetch ${url}: got ${loaded} of ${total} bytes`);
    const out = new Uint8Array(loaded);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return E.right(out);
  } catch (err) {
    return E.left(`cannot fetch ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
};
