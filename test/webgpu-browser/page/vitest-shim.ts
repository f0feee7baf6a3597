/**
 * What the shared conformance suite (kernels/conformance/backend.test-helpers.ts) needs of vitest, for running
 * it in a page: the bundle maps `vitest` here. describe/it/beforeAll/afterAll register; `runAll`
 * runs them in order and returns one result per test; `expect` throws on the first failed match.
 * Only the matchers the suite uses exist: a new one fails the bundle's type check, not silently.
 */
type Fn = () => unknown;
interface Block {
  readonly name: string;
  readonly before: Fn[];
  readonly after: Fn[];
  readonly items: Array<{ test: string; fn: Fn } | Block>;
}

const root: Block = { name: '', before: [], after: [], items: [] };
let current = root;

export const describe = (name: string, body: () => void): void => {
  const b: Block = { name, before: [], after: [], items: [] };
  current.items.push(b);
  const outer = current;
  current = b;
  try {
    body();
  } finally {
    current = outer;
  }
};
export const it = (test: string, fn: Fn): void => void current.items.push({ test, fn });
export const beforeAll = (fn: Fn): void => void current.before.push(fn);
export const afterAll = (fn: Fn): void => void current.after.push(fn);

export interface ShimResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly ms: number;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs everything registered so far (hooks failing count as a failed pseudo-test named after the hook). */
export const runAll = async (): Promise<ShimResult[]> => {
  const out: ShimResult[] = [];
  const hook = async (fn: Fn, name: string) => {
    const t0 = performance.now();
    try {
      await fn();
    } catch (e) {
      out.push({ name, ok: false, error: message(e), ms: performance.now() - t0 });
    }
  };
  const walk = async (b: Block, prefix: string): Promise<void> => {
    const here = b.name ? `${prefix}${b.name} > ` : prefix;
    for (const f of b.before) await hook(f, `${here}beforeAll`);
    for (const item of b.items) {
      if ('test' in item) {
        const t0 = performance.now();
        try {
          await item.fn();
          out.push({ name: `${here}${item.test}`, ok: true, ms: performance.now() - t0 });
        } catch (e) {
          out.push({ name: `${here}${item.test}`, ok: false, error: message(e), ms: performance.now() - t0 });
        }
      } else await walk(item, here);
    }
    for (const f of b.after) await hook(f, `${here}afterAll`);
  };
  await walk(root, '');
  return out;
};

const fail = (label: string | undefined, what: string): never => {
  throw new Error(label ? `${label}: ${what}` : what);
};
const show = (v: unknown) => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

export const expect = (got: unknown, label?: string) => ({
  toBe: (want: unknown) => void (Object.is(got, want) || fail(label, `expected ${show(got)} to be ${show(want)}`)),
  toEqual: (want: unknown) => void (show(got) === show(want) || fail(label, `expected ${show(got)} to equal ${show(want)}`)),
  toBeLessThanOrEqual: (want: number) => void ((got as number) <= want || fail(label, `expected ${show(got)} <= ${want}`)),
  toThrow: (want?: RegExp | string) => {
    try {
      (got as () => unknown)();
    } catch (e) {
      if (want === undefined || (typeof want === 'string' ? message(e).includes(want) : want.test(message(e)))) return;
      fail(label, `threw '${message(e)}', expected ${String(want)}`);
    }
    fail(label, 'expected a throw');
  },
});
