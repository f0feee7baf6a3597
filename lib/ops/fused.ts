/**
 * A "fused" op: its forward pass is composed of other ops, run without recording and inside a
 * scope (so the intermediates are released at once), and the result is recorded as ONE tape
 * node whose gradient rule lives in the VJP table. Used where a hand-written rule is cheaper or
 * better behaved than differentiating the composition (softmax, logSoftmax, l2Norm).
 */
import { noGrad, record } from '../autograd/tape.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

export const fused = (op: string, inputs: readonly Tensor[], saved: Record<string, unknown>, compute: () => Tensor): Tensor =>
  record(
    noGrad(() => scope(compute)),
    op,
    inputs,
    saved,
  );
