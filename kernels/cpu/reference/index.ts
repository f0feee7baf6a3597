/**
 * The reference kernels: one plain, obviously-correct implementation per Backend primitive,
 * over typed arrays and explicit shapes. They are the living definition every other kernel
 * (the fast CPU path, GPU.js) is tested against; each takes an optional preallocated output.
 */
export { gelu, geluGrad, UNARY, BINARY, refUnary, refBinary, refClamp, refWhere, refFill, refCast, forEachBroadcast } from './elementwise.js';
export { refReduce } from './reduce.js';
export { refMatmul, matmulDims, type Shape3 } from './matmul.js';
export { refPermute, refSlice, refPadInto, refConcat, refGather, refScatterAdd } from './layout.js';
export { refConv2d, refConv2dBackwardInput, refConv2dBackwardFilter, refConv2dBiasAct, applyBiasAct, conv2dOutShape } from './conv2d.js';
export {
  refMaxPool2d,
  refMaxPool2dBackward,
  refAvgPool2d,
  refAvgPool2dBackward,
  refAdaptiveAvgPool2d,
  refAdaptiveAvgPool2dBackward,
  adaptiveWindow,
  pool2dOutShape,
} from './pool2d.js';
export { refSoftmax } from './softmax.js';
export { refAdamUpdate } from './adam.js';
