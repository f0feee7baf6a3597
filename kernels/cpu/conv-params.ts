/**
 * A convolution's dimensions as the flat parameter list both fast paths (TypeScript and
 * WebAssembly) hand to their workers: [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, split]
 * (the last slot, the split flag, is set by the caller's plan).
 */
import type { Conv2dAttrs } from '../../lib/backend/backend.js';

export const convParams = (xShape: readonly number[], wShape: readonly number[], attrs: Conv2dAttrs): number[] => {
  const [N, C, H, W] = xShape;
  const [O, , KH, KW] = wShape;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.pad;
  const OH = Math.floor((H + 2 * ph - KH) / sh) + 1;
  const OW = Math.floor((W + 2 * pw - KW) / sw) + 1;
  return [N, C, H, W, O, KH, KW, sh, sw, ph, pw, OH, OW, 0];
};
