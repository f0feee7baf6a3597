/**
 * A minimal WebAssembly binary emitter: just enough to write SIMD kernels from TypeScript
 * without a toolchain (the module bytes are produced directly, like GPU.js builds its kernels).
 * A module here has one imported shared memory ("env" "memory") and exported functions with
 * i32/v128 params, locals and no results. Opcodes follow the WebAssembly core + SIMD specs.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

/** Signed LEB128 (32-bit values). */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Core opcodes used by the kernels (i32 comparisons are signed). */
export const OP = {
  select: 0x1b,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32DivS: 0x6d,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrS: 0x75,
  f32Add: 0x92,
  f32Eq: 0x5b,
  f32Ne: 0x5c,
  f32Lt: 0x5d,
  f32Gt: 0x5e,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const SIMD = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  shuffle: 0x0d,
  f32x4Splat: 0x13,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4RelaxedMadd: 0x105,
  f32x4Eq: 0x41,
  f32x4Ne: 0x42,
  f32x4Lt: 0x43,
  f32x4Gt: 0x44,
  v128And: 0x4e,
  v128AndNot: 0x4f,
  v128Or: 0x50,
  v128Bitselect: 0x52,
} as const;

/** A function body under construction: locals are numbered after the params. */
export class Fn {
  readonly code: number[] = [];
  private readonly extra: ValType[] = [];

  constructor(
    readonly name: string,
    readonly params: readonly ValType[],
  ) {}

  /** A fresh local of `type` (its index). */
  local(type: ValType): number {
    this.extra.push(type);
    return this.params.length + this.extra.length - 1;
  }

  op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  i32(n: number): this {
    return this.op(0x41, ...sleb(n));
  }
  get(l: number): this {
    return this.op(0x20, ...uleb(l));
  }
  set(l: number): this {
    return this.op(0x21, ...uleb(l));
  }
  tee(l: number): this {
    return this.op(0x22, ...uleb(l));
  }
  simd(opcode: number, ...imm: number[]): this {
    return this.op(0xfd, ...uleb(opcode), ...imm);
  }
  /** Memory ops take (align log2, offset) immediates. */
  f32Load(offset = 0): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  f32Store(offset = 0): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  v128Load(offset = 0): this {
    return this.simd(SIMD.load, 4, ...uleb(offset));
  }
  v128Store(offset = 0): this {
    return this.simd(SIMD.store, 4, ...uleb(offset));
  }
  splatLoad(offset = 0): this {
    return this.simd(SIMD.load32Splat, 2, ...uleb(offset));
  }
  /** i8x16.shuffle picking f32 lanes: 0-3 from the first operand, 4-7 from the second. */
  shuffle32(lanes: readonly [number, number, number, number]): this {
    return this.simd(SIMD.shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
  }
  v128Zero(): this {
    return this.simd(SIMD.const, ...new Array<number>(16).fill(0));
  }
  f32Zero(): this {
    return this.op(0x43, 0, 0, 0, 0);
  }
  /** Opens `block { loop {` for a hand-written loop: exitIf() leaves it, endLoop() jumps back and closes it. */
  beginLoop(): this {
    return this.op(0x02, 0x40, 0x03, 0x40);
  }
  /** Leaves the loop opened by beginLoop when the i32 on the stack is non-zero. */
  exitIf(): this {
    return this.op(0x0d, 1);
  }
  endLoop(): this {
    return this.op(0x0c, 0, 0x0b, 0x0b);
  }
  /** local += k (i32). */
  addTo(l: number, k: number | (() => void)): this {
    this.get(l);
    if (typeof k === 'number') this.i32(k);
    else k();
    return this.op(OP.i32Add).set(l);
  }
  /** for (l = from; l < to; l += step) body — `from`/`to` emit an i32 each; signed compare. */
  forUp(l: number, from: () => void, to: () => void, step: number, body: () => void): this {
    from();
    this.set(l);
    this.beginLoop();
    this.get(l);
    to();
    this.op(OP.i32GeS).exitIf();
    body();
    this.addTo(l, step);
    return this.endLoop();
  }
  /** if (cond) then else other; `cond` emits an i32. */
  ifElse(cond: () => void, then: () => void, other?: () => void): this {
    cond();
    this.op(0x04, 0x40);
    then();
    if (other) {
      this.op(0x05);
      other();
    }
    return this.op(0x0b);
  }

  /** The body bytes: local declarations (one entry per local, fine at this scale) then code. */
  body(): number[] {
    const decls = this.extra.map((t) => [1, t]);
    const b = [...vec(decls), ...this.code, 0x0b];
    return [...uleb(b.length), ...b];
  }
}

export interface MemoryImport {
  readonly initial: number;
  readonly maximum: number;
  readonly shared: boolean;
}

/** A module importing env.memory and exporting `fns` (all with no results). */
export const buildModule = (fns: readonly Fn[], mem: MemoryImport): Uint8Array<ArrayBuffer> => {
  const types = fns.map((f) => [0x60, ...vec(f.params.map((p) => [p])), 0]);
  const limits = mem.shared ? [0x03, ...uleb(mem.initial), ...uleb(mem.maximum)] : [0x01, ...uleb(mem.initial), ...uleb(mem.maximum)];
  const imports = vec([[...uleb(3), ...utf8('env'), ...uleb(6), ...utf8('memory'), 0x02, ...limits]]);
  const funcs = vec(fns.map((_, i) => uleb(i)));
  const exports = vec(fns.map((f, i) => [...uleb(utf8(f.name).length), ...utf8(f.name), 0x00, ...uleb(i)]));
  const code = vec(fns.map((f) => f.body()));
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, code),
  ]);
};
