/**
 * packA / packB as WebAssembly SIMD (generated with ./emitter.ts; gemm-module.ts puts them in
 * the module): (src, laneStride, kStride, lanes, kc, dst) packs `lanes` lanes (rows of A or
 * columns of B, `laneStride` apart) of a kc-long strip (`kStride` apart) into panels of R
 * lanes: dst[(p*kc + k)*R + l] = src[(p*R + l)*laneStride + k*kStride], zeros past `lanes`.
 * Contiguous lanes (laneStride 1, e.g. B not transposed) are copied 4 at a time; contiguous k
 * (kStride 1: A not transposed, B transposed, im2col columns for dW) go through 4x4 register
 * transposes (the scalar gather measured ~1.2 ns per element, a third of a small GEMM's time).
 */
import { Fn, I32, OP, V128 } from './emitter.js';

export const packFn = (name: string, R: number): Fn => {
  const f = new Fn(name, [I32, I32, I32, I32, I32, I32]);
  const [src, ls, ks, lanes, kc, dst] = [0, 1, 2, 3, 4, 5];
  const l0 = f.local(I32),
    k = f.local(I32),
    p = f.local(I32),
    rem = f.local(I32),
    l = f.local(I32);
  const ptr = Array.from({ length: R }, () => f.local(I32));
  const v = Array.from({ length: 8 }, () => f.local(V128));
  // strides to bytes
  f.get(ls).i32(2).op(OP.i32Shl).set(ls);
  f.get(ks).i32(2).op(OP.i32Shl).set(ks);
  f.forUp(
    l0,
    () => f.i32(0),
    () => f.get(lanes),
    R,
    () => {
      f.get(lanes).get(l0).op(OP.i32Sub).set(rem);
      f.ifElse(
        () => f.get(rem).i32(R).op(OP.i32GeS),
        () => {
          // a full panel
          const contiguous = () => {
            f.get(src).get(l0).get(ls).op(OP.i32Mul).op(OP.i32Add).set(p);
            f.forUp(
              k,
              () => f.i32(0),
              () => f.get(kc),
              1,
              () => {
                for (let v = 0; v < R / 4; v++)
                  f.get(dst)
                    .get(p)
                    .v128Load(v * 16)
                    .v128Store(v * 16);
                f.addTo(dst, R * 4).addTo(p, () => f.get(ks));
              },
            );
          };
          const strided = () => {
            for (let i = 0; i < R; i++) f.get(src).get(l0).i32(i).op(OP.i32Add).get(ls).op(OP.i32Mul).op(OP.i32Add).set(ptr[i]);
            f.forUp(
              k,
              () => f.i32(0),
              () => f.get(kc),
              1,
              () => {
                for (let i = 0; i < R; i++) {
                  f.get(dst)
                    .get(ptr[i])
                    .f32Load()
                    .f32Store(i * 4);
                  f.addTo(ptr[i], () => f.get(ks));
                }
                f.addTo(dst, R * 4);
              },
            );
          };
          // k contiguous (A not transposed, B transposed): 4x4 blocks transposed in registers
          const transposed = () => {
            for (let i = 0; i < R; i++) f.get(src).get(l0).i32(i).op(OP.i32Add).get(ls).op(OP.i32Mul).op(OP.i32Add).set(ptr[i]);
            f.i32(0).set(k);
            f.beginLoop();
            f.get(k).i32(4).op(OP.i32Add).get(kc).op(OP.i32GtS).exitIf(); // k + 4 > kc: leave
            for (let grp = 0; grp < R / 4; grp++) {
              for (let i = 0; i < 4; i++)
                f.get(ptr[grp * 4 + i])
                  .v128Load()
                  .set(v[i]);
              f.get(v[0]).get(v[1]).shuffle32([0, 4, 1, 5]).set(v[4]);
              f.get(v[2]).get(v[3]).shuffle32([0, 4, 1, 5]).set(v[5]);
              f.get(v[0]).get(v[1]).shuffle32([2, 6, 3, 7]).set(v[6]);
              f.get(v[2]).get(v[3]).shuffle32([2, 6, 3, 7]).set(v[7]);
              const out = (kk: number, x: number, y: number, lanes: [number, number, number, number]) =>
                f
                  .get(dst)
                  .get(v[x])
                  .get(v[y])
                  .shuffle32(lanes)
                  .v128Store((kk * R + grp * 4) * 4);
              out(0, 4, 5, [0, 1, 4, 5]);
              out(1, 4, 5, [2, 3, 6, 7]);
              out(2, 6, 7, [0, 1, 4, 5]);
              out(3, 6, 7, [2, 3, 6, 7]);
            }
            for (let i = 0; i < R; i++) f.addTo(ptr[i], 16);
            f.addTo(dst, 4 * R * 4).addTo(k, 4);
            f.endLoop();
            // the last kc % 4 steps
            f.beginLoop();
            f.get(k).get(kc).op(OP.i32GeS).exitIf();
            for (let i = 0; i < R; i++) {
              f.get(dst)
                .get(ptr[i])
                .f32Load()
                .f32Store(i * 4);
              f.addTo(ptr[i], 4);
            }
            f.addTo(dst, R * 4).addTo(k, 1);
            f.endLoop();
          };
          if (R % 4 === 0)
            f.ifElse(
              () => f.get(ls).i32(4).op(OP.i32Eq),
              contiguous,
              () => f.ifElse(() => f.get(ks).i32(4).op(OP.i32Eq), transposed, strided),
            );
          else strided();
        },
        () => {
          // the last, partial panel: zeros past `lanes`
          f.forUp(
            k,
            () => f.i32(0),
            () => f.get(kc),
            1,
            () => {
              f.forUp(
                l,
                () => f.i32(0),
                () => f.i32(R),
                1,
                () => {
                  f.ifElse(
                    () => f.get(l).get(rem).op(OP.i32LtS),
                    () => {
                      f.get(dst).get(l).i32(2).op(OP.i32Shl).op(OP.i32Add);
                      f.get(src).get(l0).get(l).op(OP.i32Add).get(ls).op(OP.i32Mul).op(OP.i32Add).get(k).get(ks).op(OP.i32Mul).op(OP.i32Add).f32Load();
                      f.f32Store();
                    },
                    () => {
                      f.get(dst).get(l).i32(2).op(OP.i32Shl).op(OP.i32Add).f32Zero().f32Store();
                    },
                  );
                },
              );
              f.addTo(dst, R * 4);
            },
          );
        },
      );
    },
  );
  return f;
};
