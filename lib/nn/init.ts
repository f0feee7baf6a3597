/**
 * Initialisations as described by a value (an `InitSpec`), so a model's shapes and
 * initialisers can be listed, counted and printed without allocating anything.
 * Fan conventions follow PyTorch: fanIn = in_features (Linear) or C_in*kh*kw (Conv2d).
 */
export type InitSpec =
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'uniform'; readonly bound: number } // U(-bound, bound)
  | { readonly kind: 'normal'; readonly std: number };

export const constant = (value: number): InitSpec => ({ kind: 'const', value });
export const uniform = (bound: number): InitSpec => ({ kind: 'uniform', bound });
export const normal = (std: number): InitSpec => ({ kind: 'normal', std });

/** PyTorch's default for Linear/Conv weights and biases: kaiming_uniform(a=sqrt 5) reduces to U(+-1/sqrt(fanIn)). */
export const torchDefault = (fanIn: number): InitSpec => uniform(1 / Math.sqrt(Math.max(fanIn, 1)));

/** Kaiming (He) normal for ReLU nets: std = sqrt(2 / fan) (torchvision's ResNet uses fan_out). */
export const kaimingNormal = (fan: number): InitSpec => normal(Math.sqrt(2 / Math.max(fan, 1)));

/** Kaiming uniform with ReLU gain: U(+-sqrt(6 / fan)). */
export const kaimingUniform = (fan: number): InitSpec => uniform(Math.sqrt(6 / Math.max(fan, 1)));

/** Xavier (Glorot) uniform: U(+-sqrt(6 / (fanIn + fanOut))) (MLP-Mixer's linear layers). */
export const xavierUniform = (fanIn: number, fanOut: number): InitSpec => uniform(Math.sqrt(6 / Math.max(fanIn + fanOut, 1)));

export type WeightInit = 'torch' | 'kaiming' | 'xavier';

export const weightInit = (how: WeightInit, fanIn: number, fanOut: number): InitSpec =>
  how === 'xavier' ? xavierUniform(fanIn, fanOut) : how === 'kaiming' ? kaimingNormal(fanOut) : torchDefault(fanIn);
