/** Checkpoints (safetensors): encode/decode, atomic save/load with injected file IO, torchvision import. */
export * from './errors.js';
export * from './safetensors.js';
export * from './match.js';
export * from './checkpoint.js';
export * from './torchvision.js';
