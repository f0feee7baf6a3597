/**
 * Layers, backbones and heads. A model = a Module (pure description: specs + apply) + a
 * parameter tree + a state tree (flat Maps with torchvision's dotted names); see module.ts.
 *
 *   const al = createAl64(AL64_TINY);                      // or createAl64() for the full AL64
 *   const enc = initModule(al.encoder, rng.fork());        // { params, state }
 *   const proj = initModule(al.projector, rng.fork());
 *   const { y: z, state } = al.encoder.apply(enc.params, enc.state, x, { training: true, rng: dropoutRng });
 *   const va = al.projector.apply(proj.params, proj.state, z, { training: true, updateStats: false }).y; // ELIM branch
 *   disposeReplaced(enc.state, state);                     // old running stats are the caller's to free
 *
 * Training one tree with one optimiser: mergeTrees({ encoder, projector }) and
 * named([['encoder', al.encoder], ['projector', al.projector]]).
 */
export * from './tree.js';
export * from './init.js';
export * from './module.js';
export * from './linear.js';
export * from './conv2d.js';
export * from './batch-norm.js';
export * from './layer-norm.js';
export * from './dropout.js';
export * from './pooling.js';
export * from './attention.js';
export * from './activations.js';
export * from './alexnet.js';
export * from './resnet.js';
export * from './mixer.js';
export * from './heads.js';
export * from './al64.js';
export * from './summary.js';
