/** detach: the same data as x, cut from the tape (no node, no gradient flows back through it). */
import { Tensor } from '../tensor/tensor.js';

export const detach = (x: Tensor): Tensor => new Tensor(x.backend, x.handle, x.shape);
