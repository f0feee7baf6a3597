/**
 * The GEMM kernels as WebAssembly SIMD, generated with ./emitter.ts. Exports:
 *  - packA / packB (src, laneStride, kStride, lanes, kc, dst): panels of MR / NR lanes
 *    (./pack-module.ts).
 *  - macro (mc, nc, kc, ap, bp, c, ldc, mode, tmp): C[mc x nc] (row stride ldc) = (mode 0) or
 *    += (mode 1) the packed A block times the packed B block, with an MR x NR register tile of
 *    f32x4 accumulators (MR*NR/4 v128 locals). Edge tiles go through `tmp` (MR*NR floats).
 * Also im2col / col2imAdd (./conv-module.ts) and the 2x2 max pool (./maxpool-module.ts). Pointers are byte addresses in the shared memory, strides and sizes are in elements.
 */
import { biasActFn, col2imAddFn, im2colFn } from './conv-module.js';
import { maxPool2x2BackFn, maxPool2x2Fn } from './maxpool-module.js';
import { buildModule, Fn, I32, OP, SIMD, V128, type MemoryImport } from './emitter.js';
import { packFn } from './pack-module.js';

export interface GemmShape {
  /** Rows of the register tile (A lanes). */
  readonly MR: number;
  /** Columns of the register tile (B lanes); a multiple of 4. */
  readonly NR: number;
  /** k steps per unrolled iteration of the micro-kernel loop. */
  readonly unroll: number;
  /** Use f32x4.relaxed_madd (one fused op) instead of mul + add. */
  readonly relaxed: boolean;
}

const macroFn = (g: GemmShape): Fn => {
  const { MR, NR, unroll } = g;
  const NV = NR / 4;
  const f = new Fn('macro', [I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [mc, nc, kc, ap, bp, c, ldc, mode, tmp] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const jr = f.local(I32),
    ir = f.local(I32),
    a = f.local(I32),
    b = f.local(I32),
    k = f.local(I32);
  const cp = f.local(I32),
    i = f.local(I32),
    j = f.local(I32),
    mr = f.local(I32),
    nr = f.local(I32),
    q = f.local(I32);
  const bv = Array.from({ length: NV }, () => f.local(V128));
  const av = f.local(V128);
  const acc = Array.from({ length: MR * NV }, () => f.local(V128));

  const step = (u: number) => {
    for (let v = 0; v < NV; v++)
      f.get(b)
        .v128Load(u * NR * 4 + v * 16)
        .set(bv[v]);
    for (let r = 0; r < MR; r++) {
      f.get(a)
        .splatLoad(u * MR * 4 + r * 4)
        .set(av);
      for (let v = 0; v < NV; v++) {
        const t = acc[r * NV + v];
        if (g.relaxed) f.get(av).get(bv[v]).get(t).simd(SIMD.f32x4RelaxedMadd).set(t);
        else f.get(t).get(av).get(bv[v]).simd(SIMD.f32x4Mul).simd(SIMD.f32x4Add).set(t);
      }
    }
  };
  /** while (k >= n) { n steps; advance a, b; k -= n } */
  const kLoop = (n: number) => {
    f.beginLoop();
    f.get(k).i32(n).op(OP.i32LtS).exitIf();
    for (let u = 0; u < n; u++) step(u);
    f.addTo(a, n * MR * 4)
      .addTo(b, n * NR * 4)
      .addTo(k, -n);
    f.endLoop();
  };

  f.get(ldc).i32(2).op(OP.i32Shl).set(ldc); // row stride in bytes
  f.forUp(
    jr,
    () => f.i32(0),
    () => f.get(nc),
    NR,
    () => {
      f.forUp(
        ir,
        () => f.i32(0),
        () => f.get(mc),
        MR,
        () => {
          f.get(ap).get(ir).get(kc).op(OP.i32Mul).i32(2).op(OP.i32Shl).op(OP.i32Add).set(a);
          f.get(bp).get(jr).get(kc).op(OP.i32Mul).i32(2).op(OP.i32Shl).op(OP.i32Add).set(b);
          for (const t of acc) f.v128Zero().set(t);
          f.get(kc).set(k);
          if (unroll > 1) kLoop(unroll);
          kLoop(1);
          f.get(mc).get(ir).op(OP.i32Sub).set(mr);
          f.get(nc).get(jr).op(OP.i32Sub).set(nr);
          // C tile address
          f.get(c).get(ir).get(ldc).op(OP.i32Mul).op(OP.i32Add).get(jr).i32(2).op(OP.i32Shl).op(OP.i32Add).set(cp);
          f.ifElse(
            () => f.get(mr).i32(MR).op(OP.i32GeS).get(nr).i32(NR).op(OP.i32GeS).op(OP.i32And),
            () => {
              const write = (add: boolean) => {
                f.get(cp).set(q);
                for (let r = 0; r < MR; r++) {
                  for (let v = 0; v < NV; v++) {
                    f.get(q);
                    if (add)
                      f.get(q)
                        .v128Load(v * 16)
                        .get(acc[r * NV + v])
                        .simd(SIMD.f32x4Add);
                    else f.get(acc[r * NV + v]);
                    f.v128Store(v * 16);
                  }
                  if (r < MR - 1) f.addTo(q, () => f.get(ldc));
                }
              };
              f.ifElse(
                () => f.get(mode),
                () => write(true),
                () => write(false),
              );
            },
            () => {
              for (let r = 0; r < MR; r++)
                for (let v = 0; v < NV; v++)
                  f.get(tmp)
                    .get(acc[r * NV + v])
                    .v128Store((r * NR + v * 4) * 4);
              f.forUp(
                i,
                () => f.i32(0),
                () => {
                  f.get(mr).i32(MR).get(mr).i32(MR).op(OP.i32LtS).op(OP.select);
                },
                1,
                () => {
                  f.forUp(
                    j,
                    () => f.i32(0),
                    () => {
                      f.get(nr).i32(NR).get(nr).i32(NR).op(OP.i32LtS).op(OP.select);
                    },
                    1,
                    () => {
                      // q = cp + i*ldc + j*4
                      f.get(cp).get(i).get(ldc).op(OP.i32Mul).op(OP.i32Add).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).set(q);
                      f.get(q);
                      f.get(tmp).get(i).i32(NR).op(OP.i32Mul).get(j).op(OP.i32Add).i32(2).op(OP.i32Shl).op(OP.i32Add).f32Load();
                      // + C's value when accumulating (select keeps the read harmless when not)
                      f.get(q).f32Load().f32Zero().get(mode).op(OP.select).op(OP.f32Add);
                      f.f32Store();
                    },
                  );
                },
              );
            },
          );
        },
      );
    },
  );
  return f;
};

export const buildGemmModule = (g: GemmShape, mem: MemoryImport): Uint8Array<ArrayBuffer> =>
  buildModule([packFn('packA', g.MR), packFn('packB', g.NR), macroFn(g), im2colFn(), col2imAddFn(), biasActFn(), maxPool2x2Fn(), maxPool2x2BackFn()], mem);
