/**
 * Seeded random numbers, passed explicitly (never a hidden global, never Math.random).
 * xoshiro128** over four uint32 words, seeded through splitmix32. `fork()` derives an
 * independent child stream from the parent's next outputs, so each consumer (data order,
 * dropout, Gumbel noise, initialisation) gets its own stream and adding a consumer does not
 * shift the others. State is four integers, saved in checkpoints for exact resumption.
 */
export type RngState = readonly [number, number, number, number];

const splitmix32 = (seed: number) => {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
};

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: RngState) {
    [this.s0, this.s1, this.s2, this.s3] = state;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  static fromSeed(seed: number): Rng {
    const sm = splitmix32(Math.floor(seed) ^ 0x2545f491);
    return new Rng([sm(), sm(), sm(), sm()]);
  }

  /** Next uint32. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in (0, 1): safe under log. */
  uniformOpen(): number {
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    return u;
  }

  /**
   * Standard normal (Box-Muller). The second value of each pair is discarded rather than
   * cached: a cached spare would be hidden state outside `state()`, and a stream resumed from
   * a checkpoint would then diverge.
   */
  normal(): number {
    const u = this.uniformOpen();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    if (!(n > 0)) throw new RangeError(`Rng.int: n must be positive, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Standard Gumbel(0, 1) sample. */
  gumbel(): number {
    return -Math.log(-Math.log(this.uniformOpen()));
  }

  /** Fisher-Yates shuffle of a copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** k distinct indices from [0, n), in random order. */
  choose(n: number, k: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, Math.min(k, n));
  }

  /** An independent child stream. */
  fork(): Rng {
    const sm = splitmix32(this.nextU32() ^ Math.imul(this.nextU32(), 0x9e3779b9));
    return new Rng([sm(), sm(), sm(), sm()]);
  }

  state(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  fillUniform(out: Float32Array | Float64Array, lo = 0, hi = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
  }

  fillNormal(out: Float32Array | Float64Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }
}
