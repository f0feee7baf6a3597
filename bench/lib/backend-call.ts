/**
 * A kernel spec as calls: its convolution shapes, and one timed call on a Backend (op +
 * download + release, inputs uploaded once) as bench:kernels and its GL child time our backends.
 */
import type { Backend, Conv2dAttrs, DataHandle } from '../../lib/backend/backend.js';
import { sizeOf } from '../../lib/tensor/shape.js';
import { convOut, type ConvSpec, type KernelSpec } from '../anchors/kernel-specs.js';

/** Cheap deterministic input values (the peers' inputs are filled the same way). */
export const fillValue = (i: number): number => Math.sin(i * 0.7) * 0.5;

/** A convolution spec's x, w and y shapes and its attributes (stride 1). */
export const convShapes = (s: ConvSpec): { xShape: number[]; wShape: number[]; yShape: number[]; attrs: Conv2dAttrs } => {
  const [OH, OW] = convOut(s);
  return { xShape: [s.N, s.C, s.H, s.W], wShape: [s.O, s.C, s.K, s.K], yShape: [s.N, s.O, OH, OW], attrs: { stride: [1, 1], pad: [s.pad, s.pad] } };
};

/** `spec` on `be`: `run` is one call read back and released; `release` frees the inputs. */
export const backendCall = (be: Backend, spec: KernelSpec): { run: () => void; release: () => void } => {
  const handles: DataHandle[] = [];
  const up = (n: number) => {
    const h = be.upload(Float32Array.from({ length: n }, (_, i) => fillValue(i)));
    handles.push(h);
    return h;
  };
  const once = (op: () => DataHandle) => () => {
    const r = op();
    be.download(r);
    be.release(r);
  };
  const release = () => handles.forEach((h) => be.release(h));
  if (spec.kind === 'matmul') {
    const n = spec.n;
    const a = up(n * n),
      b = up(n * n);
    return { run: once(() => be.matmul(a, [1, n, n], b, [1, n, n], false, false)), release };
  }
  const { xShape, wShape, yShape, attrs } = convShapes(spec);
  const x = up(sizeOf(xShape)),
    w = up(sizeOf(wShape)),
    dy = up(sizeOf(yShape));
  const op =
    spec.kind === 'conv2d-fwd'
      ? () => be.conv2d(x, xShape, w, wShape, attrs)
      : spec.kind === 'conv2d-bwd-input'
        ? () => be.conv2dBackwardInput(dy, yShape, w, wShape, xShape, attrs)
        : () => be.conv2dBackwardFilter(x, xShape, dy, yShape, wShape, attrs);
  return { run: once(op), release };
};
