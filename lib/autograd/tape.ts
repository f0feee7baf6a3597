/**
 * Recording switch. Ops record a TapeNode on their output when recording is on and at least
 * one input tracks gradients. `noGrad(fn)` turns recording off inside fn (inference, optimiser
 * updates, the detached OT shift).
 */
import type { Tensor } from '../tensor/tensor.js';

let recording = 0; // > 0 means off (nested noGrad)

export const isRecording = () => recording === 0;

export const noGrad = <A>(fn: () => A): A => {
  recording++;
  try {
    return fn();
  } finally {
    recording--;
  }
};

/** Attaches a node to `out` if any input needs gradients; returns `out`. */
export const record = (out: Tensor, op: string, inputs: readonly Tensor[], saved: Record<string, unknown> = {}): Tensor => {
  if (isRecording() && inputs.some((t) => t.tracksGrad)) out.node = { op, inputs, saved };
  return out;
};
