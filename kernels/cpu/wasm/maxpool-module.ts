/**
 * 2x2 stride-2 max pooling (no padding) as WebAssembly SIMD: the AL64/AlexNet-style pool, which
 * in JavaScript spent most of its time in mispredicted compare branches (data-dependent maxima).
 * Exports (byte addresses, sizes in elements; `planes` = N*C planes of H x W, OH = H>>1,
 * OW = W>>1, odd last rows/columns ignored as the floor rule says):
 *  - maxPool2x2 (x, planes, H, W, y): y[p, i, j] = the window's first arg-max value.
 *  - maxPool2x2Back (x, dy, planes, H, W, dx): dx = dy scattered to each window's first arg-max
 *    (every dx cell written: +0 where nothing lands, including odd edge rows/columns).
 *
 * Same rule as the reference bit for bit: cells compete in row-major window order, a later cell
 * wins only if it is greater, or it is NaN and the best so far is not (so -0/+0 ties keep the
 * first, and the first NaN wins). "Leftmost maximum, NaN above everything" is associative, so the
 * window is reduced as a tree: (x00 vs x01) and (x10 vs x11), then top pair vs bottom pair.
 * Four windows at a time: lanes are de-interleaved into even/odd columns with shuffles.
 * Backward adds each routed value to +0 (as the reference's `out.fill(0); out[k] += dy`), so a
 * -0 gradient comes out +0 there too.
 */
import { F32 as F32T, Fn, I32, OP, SIMD, V128 } from './emitter.js';

/** Pushes the "b beats a" mask for v128 locals a (earlier) and b: b > a | (b != b & a == a). */
const beatsV = (f: Fn, a: number, b: number): void => {
  f.get(b).get(a).simd(SIMD.f32x4Gt);
  f.get(b).get(b).simd(SIMD.f32x4Ne);
  f.get(a).get(a).simd(SIMD.f32x4Eq);
  f.simd(SIMD.v128And).simd(SIMD.v128Or);
};

/** The same for f32 locals (an i32 0/1). */
const beatsS = (f: Fn, a: number, b: number): void => {
  f.get(b).get(a).op(OP.f32Gt);
  f.get(b).get(b).op(OP.f32Ne);
  f.get(a).get(a).op(OP.f32Eq);
  f.op(OP.i32And).op(OP.i32Or);
};

const EVENS = [0, 2, 4, 6] as const;
const ODDS = [1, 3, 5, 7] as const;

const poolFn = (backward: boolean): Fn => {
  // forward (x, planes, H, W, y); backward (x, dy, planes, H, W, dx)
  const f = new Fn(backward ? 'maxPool2x2Back' : 'maxPool2x2', backward ? [I32, I32, I32, I32, I32, I32] : [I32, I32, I32, I32, I32]);
  const [x, dy, planes, H, W, out] = backward ? [0, 1, 2, 3, 4, 5] : [0, -1, 1, 2, 3, 4];
  const p = f.local(I32),
    i = f.local(I32),
    j = f.local(I32),
    OH = f.local(I32),
    OW = f.local(I32),
    OW4 = f.local(I32);
  const r0 = f.local(I32),
    r1 = f.local(I32),
    o = f.local(I32),
    g = f.local(I32),
    rowBytes = f.local(I32);
  const e0 = f.local(V128),
    o0 = f.local(V128),
    e1 = f.local(V128),
    o1 = f.local(V128);
  const m0 = f.local(V128),
    m1 = f.local(V128),
    k0 = f.local(V128),
    k1 = f.local(V128),
    k2 = f.local(V128),
    gv = f.local(V128),
    t = f.local(V128),
    t2 = f.local(V128);
  const s00 = f.local(F32T),
    s01 = f.local(F32T),
    s10 = f.local(F32T),
    s11 = f.local(F32T),
    sm0 = f.local(F32T),
    sm1 = f.local(F32T);
  const q0 = f.local(I32),
    q1 = f.local(I32),
    q2 = f.local(I32),
    sg = f.local(F32T);

  f.get(H).i32(1).op(OP.i32ShrS).set(OH);
  f.get(W).i32(1).op(OP.i32ShrS).set(OW);
  f.get(OW).i32(-4).op(OP.i32And).set(OW4);
  f.get(W).i32(2).op(OP.i32Shl).set(rowBytes);
  if (backward) {
    // odd edges get nothing: clear the whole dx first (planes*H*W floats) when H or W is odd
    f.ifElse(
      () => f.get(H).get(W).op(OP.i32Or).i32(1).op(OP.i32And),
      () => {
        f.get(out).set(r0);
        f.get(out).get(planes).get(H).op(OP.i32Mul).get(W).op(OP.i32Mul).i32(2).op(OP.i32Shl).op(OP.i32Add).set(r1);
        f.beginLoop();
        f.get(r0).get(r1).op(OP.i32GeS).exitIf();
        f.get(r0).f32Zero().f32Store();
        f.addTo(r0, 4);
        f.endLoop();
      },
    );
  }
  f.forUp(
    p,
    () => f.i32(0),
    () => f.get(planes),
    1,
    () => {
      f.forUp(
        i,
        () => f.i32(0),
        () => f.get(OH),
        1,
        () => {
          // r0/r1: byte address of input rows 2i and 2i+1 of plane p; o: output (forward) / dy row
          f.get(x).get(p).get(H).op(OP.i32Mul).get(i).i32(1).op(OP.i32Shl).op(OP.i32Add).get(rowBytes).op(OP.i32Mul).op(OP.i32Add).set(r0);
          f.get(r0).get(rowBytes).op(OP.i32Add).set(r1);
          f.get(backward ? dy : out)
            .get(p)
            .get(OH)
            .op(OP.i32Mul)
            .get(i)
            .op(OP.i32Add)
            .get(OW)
            .op(OP.i32Mul)
            .i32(2)
            .op(OP.i32Shl)
            .op(OP.i32Add)
            .set(o);
          if (backward) {
            // g: dx row 2i (same offset from dx as r0 from x)
            f.get(out).get(r0).op(OP.i32Add).get(x).op(OP.i32Sub).set(g);
          }
          f.forUp(
            j,
            () => f.i32(0),
            () => f.get(OW4),
            4,
            () => {
              // columns 8j' .. 8j'+7 of both rows (j counts outputs: byte offset j*8)
              const colOff = () => f.get(j).i32(3).op(OP.i32Shl);
              const load2 = (row: number, ev: number, od: number) => {
                f.get(row);
                colOff();
                f.op(OP.i32Add).v128Load().set(t);
                f.get(row);
                colOff();
                f.op(OP.i32Add).v128Load(16).set(t2);
                f.get(t).get(t2).shuffle32(EVENS).set(ev);
                f.get(t).get(t2).shuffle32(ODDS).set(od);
              };
              load2(r0, e0, o0);
              load2(r1, e1, o1);
              beatsV(f, e0, o0);
              f.set(k0);
              f.get(o0).get(e0).get(k0).simd(SIMD.v128Bitselect).set(m0);
              beatsV(f, e1, o1);
              f.set(k1);
              f.get(o1).get(e1).get(k1).simd(SIMD.v128Bitselect).set(m1);
              beatsV(f, m0, m1);
              f.set(k2);
              if (!backward) {
                f.get(o).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add);
                f.get(m1).get(m0).get(k2).simd(SIMD.v128Bitselect).v128Store();
              } else {
                f.get(o).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).v128Load().set(gv);
                const rowOut = (dxRow: () => void, kRow: number, onRow: boolean) => {
                  // lanes where this row pair won: k2 (row 1) or ~k2 (row 0)
                  // ev = g & won & ~kRow ; od = g & won & kRow ; then + 0 and interleave
                  const won = () => {
                    if (onRow) f.get(gv).get(k2).simd(SIMD.v128And);
                    else f.get(gv).get(k2).simd(SIMD.v128AndNot);
                  };
                  won();
                  f.get(kRow).simd(SIMD.v128AndNot).v128Zero().simd(SIMD.f32x4Add).set(e0);
                  won();
                  f.get(kRow).simd(SIMD.v128And).v128Zero().simd(SIMD.f32x4Add).set(o0);
                  dxRow();
                  f.get(e0).get(o0).shuffle32([0, 4, 1, 5]).v128Store();
                  dxRow();
                  f.get(e0).get(o0).shuffle32([2, 6, 3, 7]).v128Store(16);
                };
                rowOut(
                  () => {
                    f.get(g);
                    colOff();
                    f.op(OP.i32Add);
                  },
                  k0,
                  false,
                );
                rowOut(
                  () => {
                    f.get(g).get(rowBytes).op(OP.i32Add);
                    colOff();
                    f.op(OP.i32Add);
                  },
                  k1,
                  true,
                );
              }
            },
          );
          // scalar tail: outputs OW4 .. OW-1
          f.forUp(
            j,
            () => f.get(OW4),
            () => f.get(OW),
            1,
            () => {
              const at = (row: number, dx: number, into: number) => {
                f.get(row).get(j).i32(3).op(OP.i32Shl).op(OP.i32Add).f32Load(dx).set(into);
              };
              at(r0, 0, s00);
              at(r0, 4, s01);
              at(r1, 0, s10);
              at(r1, 4, s11);
              beatsS(f, s00, s01);
              f.set(q0);
              f.get(s01).get(s00).get(q0).op(OP.select).set(sm0);
              beatsS(f, s10, s11);
              f.set(q1);
              f.get(s11).get(s10).get(q1).op(OP.select).set(sm1);
              beatsS(f, sm0, sm1);
              f.set(q2);
              if (!backward) {
                f.get(o).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add);
                f.get(sm1).get(sm0).get(q2).op(OP.select).f32Store();
              } else {
                f.get(o).get(j).i32(2).op(OP.i32Shl).op(OP.i32Add).f32Load().set(sg);
                // cell (row, col) gets 0 + g when it is the winner, else 0
                const cell = (rowOff: () => void, dxOff: number, win: () => void) => {
                  f.get(g);
                  rowOff();
                  f.get(j).i32(3).op(OP.i32Shl).op(OP.i32Add);
                  f.f32Zero().get(sg).op(OP.f32Add).f32Zero();
                  win();
                  f.op(OP.select).f32Store(dxOff);
                };
                const row1 = () => void f.get(rowBytes).op(OP.i32Add);
                cell(
                  () => {},
                  0,
                  () => void f.get(q2).op(OP.i32Eqz).get(q0).op(OP.i32Eqz).op(OP.i32And),
                );
                cell(
                  () => {},
                  4,
                  () => void f.get(q2).op(OP.i32Eqz).get(q0).op(OP.i32And),
                );
                cell(row1, 0, () => void f.get(q2).get(q1).op(OP.i32Eqz).op(OP.i32And));
                cell(row1, 4, () => void f.get(q2).get(q1).op(OP.i32And));
              }
            },
          );
        },
      );
    },
  );
  return f;
};

export const maxPool2x2Fn = (): Fn => poolFn(false);
export const maxPool2x2BackFn = (): Fn => poolFn(true);
