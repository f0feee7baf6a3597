/**
 * im2col and its adjoint as WebAssembly functions (JS loops over a Float32Array on the shared
 * buffer measured ~30% of a conv's GEMM time; these are several times faster). Exports:
 *  - im2col (x, c0, c1, H, W, KH, KW, sh, sw, ph, pw, OH, OW, col): rows of channels [c0, c1) of
 *    the image at x; row ((c-c0)*KH + ky)*KW + kx, column oy*OW + ox holds
 *    x[c, oy*sh - ph + ky, ox*sw - pw + kx], or 0 in the padding.
 *  - col2imAdd (col, c0, c1, ...same geometry, x): x += the adjoint scatter of those rows.
 *  - biasAct (y, rows, P, bias, relu): the fused convolution epilogue, y[r, j] = act(y[r, j] +
 *    bias[r]) for rows of P floats, act = ReLU (x < 0 ? 0 : x, so -0 and NaN pass) when relu != 0.
 *    It runs right after a GEMM wrote those rows, while they are still in cache, instead of a
 *    bias add and a ReLU each streaming the whole output through memory again.
 * Stride-1 rows are moved 4 floats at a time. Addresses in bytes, sizes in elements.
 */
import { F32, Fn, I32, OP, SIMD, V128 } from './emitter.js';

const convLoops = (name: string, adjoint: boolean): Fn => {
  const f = new Fn(name, Array<typeof I32>(14).fill(I32));
  // im2col: (x, c0, c1, H, W, KH, KW, sh, sw, ph, pw, OH, OW, col); col2imAdd: (col, ..., x)
  const [p0, c0, c1, H, W, KH, KW, sh, sw, ph, pw, OH, OW, p13] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const x = adjoint ? p13 : p0;
  const col = adjoint ? p0 : p13;
  const c = f.local(I32),
    ky = f.local(I32),
    kx = f.local(I32),
    oy = f.local(I32),
    ox = f.local(I32);
  const o = f.local(I32),
    xc = f.local(I32),
    lo = f.local(I32),
    hi = f.local(I32),
    iy = f.local(I32),
    s = f.local(I32),
    t = f.local(I32);
  const I = (n: number) => () => void f.i32(n);
  const L = (l: number) => () => void f.get(l);
  /** f32 at o + ox*4 (the column cell). */
  const cell = () => f.get(o).get(ox).i32(2).op(OP.i32Shl).op(OP.i32Add);
  const zero = (from: number | (() => void), to: () => void) => {
    if (adjoint) return; // the adjoint skips padding cells
    f.forUp(ox, typeof from === 'number' ? I(from) : from, to, 1, () => {
      cell();
      f.f32Zero().f32Store();
    });
  };

  f.get(col).set(o);
  f.forUp(c, L(c0), L(c1), 1, () => {
    f.get(x).get(c).get(H).op(OP.i32Mul).get(W).op(OP.i32Mul).i32(2).op(OP.i32Shl).op(OP.i32Add).set(xc);
    f.forUp(ky, I(0), L(KH), 1, () => {
      f.forUp(kx, I(0), L(KW), 1, () => {
        // lo = first ox with ox*sw - pw + kx >= 0: ceil((pw - kx) / sw) when positive, clamped to OW
        f.get(pw).get(kx).op(OP.i32Sub).set(t);
        f.ifElse(
          () => f.get(t).i32(0).op(OP.i32LeS),
          () => f.i32(0).set(lo),
          () => {
            f.get(t).get(sw).op(OP.i32Add).i32(1).op(OP.i32Sub).get(sw).op(OP.i32DivS).set(lo);
          },
        );
        f.ifElse(
          () => f.get(lo).get(OW).op(OP.i32GtS),
          () => f.get(OW).set(lo),
        );
        // hi = one past the last ox with ox*sw - pw + kx <= W - 1, clamped to [lo, OW]
        f.get(W).i32(1).op(OP.i32Sub).get(pw).op(OP.i32Add).get(kx).op(OP.i32Sub).set(t);
        f.ifElse(
          () => f.get(t).i32(0).op(OP.i32LtS),
          () => f.i32(0).set(hi),
          () => {
            f.get(t).get(sw).op(OP.i32DivS).i32(1).op(OP.i32Add).set(hi);
          },
        );
        f.ifElse(
          () => f.get(hi).get(OW).op(OP.i32GtS),
          () => f.get(OW).set(hi),
        );
        f.ifElse(
          () => f.get(hi).get(lo).op(OP.i32LtS),
          () => f.get(lo).set(hi),
        );
        f.forUp(oy, I(0), L(OH), 1, () => {
          f.get(oy).get(sh).op(OP.i32Mul).get(ph).op(OP.i32Sub).get(ky).op(OP.i32Add).set(iy);
          f.ifElse(
            () => f.get(iy).i32(0).op(OP.i32LtS).get(iy).get(H).op(OP.i32GeS).op(OP.i32Or),
            () => zero(0, L(OW)),
            () => {
              zero(0, L(lo));
              // s = address of x[c, iy, lo*sw - pw + kx]
              f.get(xc)
                .get(iy)
                .get(W)
                .op(OP.i32Mul)
                .get(lo)
                .get(sw)
                .op(OP.i32Mul)
                .op(OP.i32Add)
                .get(pw)
                .op(OP.i32Sub)
                .get(kx)
                .op(OP.i32Add)
                .i32(2)
                .op(OP.i32Shl)
                .op(OP.i32Add)
                .set(s);
              f.get(lo).set(ox);
              // stride 1: 4 at a time
              f.ifElse(
                () => f.get(sw).i32(1).op(OP.i32Eq),
                () => {
                  f.beginLoop();
                  f.get(ox).i32(4).op(OP.i32Add).get(hi).op(OP.i32GtS).exitIf(); // ox + 4 > hi: leave
                  if (adjoint) {
                    f.get(s).get(s).v128Load().get(o).get(ox).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().simd(SIMD.f32x4Add).v128Store();
                  } else {
                    cell();
                    f.get(s).v128Load().v128Store();
                  }
                  f.addTo(s, 16).addTo(ox, 4);
                  f.endLoop();
                },
              );
              f.beginLoop();
              f.get(ox).get(hi).op(OP.i32GeS).exitIf();
              if (adjoint) {
                f.get(s).get(s).f32Load();
                cell();
                f.f32Load().op(OP.f32Add).f32Store();
              } else {
                cell();
                f.get(s).f32Load().f32Store();
              }
              f.addTo(s, () => void f.get(sw).i32(2).op(OP.i32Shl)).addTo(ox, 1);
              f.endLoop();
              zero(L(hi), L(OW));
            },
          );
          f.addTo(o, () => void f.get(OW).i32(2).op(OP.i32Shl));
        });
      });
    });
  });
  return f;
};

export const im2colFn = (): Fn => convLoops('im2col', false);
export const col2imAddFn = (): Fn => convLoops('col2imAdd', true);

export const biasActFn = (): Fn => {
  const f = new Fn('biasAct', [I32, I32, I32, I32, I32]);
  const [y, rows, P, bias, relu] = [0, 1, 2, 3, 4];
  const r = f.local(I32),
    j = f.local(I32),
    P4 = f.local(I32),
    q = f.local(I32);
  const bv = f.local(V128),
    v = f.local(V128),
    bs = f.local(F32),
    s = f.local(F32);
  f.get(P).i32(-4).op(OP.i32And).set(P4);
  f.get(y).set(q);
  f.forUp(
    r,
    () => f.i32(0),
    () => f.get(rows),
    1,
    () => {
      f.get(bias).get(r).i32(2).op(OP.i32Shl).op(OP.i32Add).f32Load().set(bs);
      f.get(bs).simd(SIMD.f32x4Splat).set(bv);
      const vector = (withRelu: boolean) =>
        f.forUp(
          j,
          () => f.i32(0),
          () => f.get(P4),
          4,
          () => {
            f.get(q).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add);
            f.get(q).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().get(bv).simd(SIMD.f32x4Add);
            if (withRelu) f.tee(v).get(v).v128Zero().simd(SIMD.f32x4Lt).simd(SIMD.v128AndNot); // v & ~(v < 0)
            f.v128Store();
          },
        );
      f.ifElse(
        () => f.get(relu),
        () => vector(true),
        () => vector(false),
      );
      f.forUp(
        j,
        () => f.get(P4),
        () => f.get(P),
        1,
        () => {
          f.get(q).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add);
          f.get(q).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).f32Load().get(bs).op(OP.f32Add).set(s);
          // relu: select(+0, s, s < 0) when asked, else s
          f.f32Zero().get(s).get(s).f32Zero().op(OP.f32Lt).get(relu).op(OP.i32And).op(OP.select);
          f.f32Store();
        },
      );
      f.addTo(q, () => void f.get(P).i32(2).op(OP.i32Shl));
    },
  );
  return f;
};
