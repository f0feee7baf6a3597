/** The one bridge from data to the engine: a batch's typed arrays as float32 tensors (copied). */
import { tensor } from '../../lib/ops/create.js';
import type { Tensor } from '../../lib/tensor/tensor.js';
import type { Batch } from './batch-loader.js';

export const batchTensors = (b: Batch): { x: Tensor; y: Tensor } => ({
  x: tensor(b.x, b.shape),
  y: tensor(b.y, [b.shape[0], 2]),
});
