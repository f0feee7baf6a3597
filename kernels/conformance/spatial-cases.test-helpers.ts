/** Conformance cases for the spatial primitives (convolution, pooling) and softmax; see cases.test-helpers.ts. */
import type { Conv2dAttrs, Pool2dAttrs } from '../../lib/backend/backend.js';
import { sizeOf, type Shape } from '../../lib/tensor/shape.js';
import * as ref from '../cpu/reference/index.js';
import { input, rand, type Case } from './cases.test-helpers.js';

export const conv: Array<{ x: Shape; w: Shape; a: Conv2dAttrs }> = [
  { x: [2, 3, 7, 6], w: [4, 3, 3, 2], a: { stride: [2, 1], pad: [1, 0] } },
  { x: [1, 1, 5, 5], w: [1, 1, 5, 5], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [3, 2, 4, 4], w: [5, 2, 1, 1], a: { stride: [1, 1], pad: [0, 0] } },
  { x: [1, 2, 6, 5], w: [3, 2, 3, 3], a: { stride: [2, 2], pad: [1, 1] } },
];
const pools: Array<{ x: Shape; a: Pool2dAttrs }> = [
  { x: [2, 3, 7, 5], a: { kernel: [3, 2], stride: [2, 2], pad: [1, 1] } },
  { x: [1, 1, 4, 4], a: { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } },
  { x: [2, 3, 7, 19], a: { kernel: [2, 2], stride: [2, 2], pad: [0, 0] } },
  { x: [2, 1, 5, 6], a: { kernel: [3, 3], stride: [1, 2], pad: [1, 0] } },
];

export const spatialCases: Record<string, Case[]> = {
  conv2d: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs))),
      w = input(b, rand(rng, sizeOf(ws)));
    return { got: b.conv2d(x.h, xs, w.h, ws, a), want: ref.refConv2d(x.r, xs, w.r, ws, a) };
  }),
  conv2dBackwardInput: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const ys = ref.conv2dOutShape(xs, ws, a);
    const dy = input(b, rand(rng, sizeOf(ys))),
      w = input(b, rand(rng, sizeOf(ws)));
    return { got: b.conv2dBackwardInput(dy.h, ys, w.h, ws, xs, a), want: ref.refConv2dBackwardInput(dy.r, ys, w.r, ws, xs, a) };
  }),
  conv2dBackwardFilter: conv.map(({ x: xs, w: ws, a }): Case => (b, rng) => {
    const ys = ref.conv2dOutShape(xs, ws, a);
    const x = input(b, rand(rng, sizeOf(xs))),
      dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.conv2dBackwardFilter(x.h, xs, dy.h, ys, ws, a), want: ref.refConv2dBackwardFilter(x.r, xs, dy.r, ys, ws, a) };
  }),
  maxPool2d: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.maxPool2d(x.h, xs, a), want: ref.refMaxPool2d(x.r, xs, a) };
  }),
  maxPool2dBackward: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const ys = ref.pool2dOutShape(xs, a);
    const x = input(b, rand(rng, sizeOf(xs))),
      dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.maxPool2dBackward(x.h, xs, dy.h, ys, a), want: ref.refMaxPool2dBackward(x.r, xs, dy.r, ys, a) };
  }),
  avgPool2d: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.avgPool2d(x.h, xs, a), want: ref.refAvgPool2d(x.r, xs, a) };
  }),
  avgPool2dBackward: pools.map(({ x: xs, a }): Case => (b, rng) => {
    const ys = ref.pool2dOutShape(xs, a);
    const dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.avgPool2dBackward(dy.h, ys, xs, a), want: ref.refAvgPool2dBackward(dy.r, ys, xs, a) };
  }),
  adaptiveAvgPool2d: (
    [
      [
        [2, 3, 7, 5],
        [3, 2],
      ],
      [
        [1, 2, 4, 4],
        [4, 4],
      ],
      [
        [1, 1, 5, 3],
        [1, 1],
      ],
      [
        [1, 1, 3, 2],
        [5, 3],
      ],
    ] as Array<[Shape, [number, number]]>
  ).map(([xs, o]): Case => (b, rng) => {
    const x = input(b, rand(rng, sizeOf(xs)));
    return { got: b.adaptiveAvgPool2d(x.h, xs, o), want: ref.refAdaptiveAvgPool2d(x.r, xs, o) };
  }),
  adaptiveAvgPool2dBackward: (
    [
      [
        [2, 3, 7, 5],
        [3, 2],
      ],
      [
        [1, 1, 3, 2],
        [5, 3],
      ],
    ] as Array<[Shape, [number, number]]>
  ).map(([xs, o]): Case => (b, rng) => {
    const ys = [xs[0], xs[1], o[0], o[1]];
    const dy = input(b, rand(rng, sizeOf(ys)));
    return { got: b.adaptiveAvgPool2dBackward(dy.h, ys, xs), want: ref.refAdaptiveAvgPool2dBackward(dy.r, ys, xs) };
  }),
  softmax: (
    [
      [5, 7, 4],
      [1, 1, 4],
      [3, 6, 300],
    ] as Array<[number, number, number]>
  ).map(([rows, cols, scale]): Case => (b, rng) => {
    const x = input(b, rand(rng, rows * cols, -scale, scale)); // scale 300: exp overflows unless shifted
    return { got: b.softmax(x.h, rows, cols), want: ref.refSoftmax(x.r, rows, cols) };
  }),
};
