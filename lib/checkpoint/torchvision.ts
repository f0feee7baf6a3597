/**
 * Loading weights exported from torchvision (or timm) to safetensors, e.g. in Python:
 *   safetensors.torch.save_file(torchvision.models.resnet18(weights=...).state_dict(), "r18.safetensors")
 *
 * Name mapping (documented contract): our backbones use torchvision's state_dict names
 * verbatim, so a torchvision name `n` maps to `prefix + n` in our trees, where `prefix` is where
 * the backbone sits in the model (e.g. `backbone.` inside `encoder(...)`, '' for a bare backbone):
 *   AlexNet   features.{0,3,6,8,10}.{weight,bias}               -> params (classifier.* ignored: we keep features only)
 *   ResNet18  conv1.weight, layerL.B.convK.weight, fc.{weight,bias},
 *             layerL.0.downsample.0.weight                        -> params
 *             bn1.{weight,bias}, layerL.B.bnK.{weight,bias},
 *             layerL.0.downsample.1.{weight,bias}                 -> params
 *             *.running_mean, *.running_var                       -> state
 *             *.num_batches_tracked (I64)                         -> dropped (not used with a fixed momentum)
 *   MLP-Mixer timm names (stem.proj, blocks.i.norm1, blocks.i.mlp_tokens.fc1, ..., norm, head)
 * Entries the file holds but the model lacks (e.g. `fc.*` when the model has no head) are
 * reported unless `ignore` accepts them (`TORCHVISION_IGNORE` lists the usual ones). Floating
 * data of any width is converted to the model's dtype; every other mismatch is reported.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Backend } from '../backend/backend.js';
import type { Module } from '../nn/module.js';
import { asParameter, asState } from '../nn/tree.js';
import * as T from '../ops/index.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import type { CheckpointError } from './errors.js';
import { mismatches, type Expected } from './match.js';
import { decodeSafetensors } from './safetensors.js';

export const TORCHVISION_IGNORE = {
  /** BN batch counters: always dropped. */
  counters: (n: string) => n.endsWith('.num_batches_tracked'),
  alexnetFeatures: (n: string) => n.endsWith('.num_batches_tracked') || n.startsWith('classifier.'),
  resnetWithoutHead: (n: string) => n.endsWith('.num_batches_tracked') || n.startsWith('fc.'),
} as const;

/** Our name for a torchvision name. */
export const fromTorchvisionName = (name: string, prefix = ''): string => `${prefix}${name}`;

export interface ImportOptions {
  /** Where the backbone sits in `module`'s names, with the trailing dot (e.g. 'backbone.'). */
  readonly prefix?: string;
  /** File entries to skip silently (default: num_batches_tracked). */
  readonly ignore?: (torchvisionName: string) => boolean;
  readonly dtype?: DType;
  readonly backend?: Backend;
}

/**
 * Reads a torchvision/timm safetensors file into params and state for the part of `module`
 * under `prefix` (the rest of the module, e.g. the regressor, is not expected in the file).
 */
export const importTorchvision = (
  bytes: Uint8Array,
  module: Module,
  o: ImportOptions = {},
): E.Either<CheckpointError, { params: Map<string, Tensor>; state: Map<string, Tensor> }> => {
  const prefix = o.prefix ?? '';
  const dtype = o.dtype ?? 'float32';
  const ignore = o.ignore ?? TORCHVISION_IGNORE.counters;
  const ours = (specs: Module['params']) => specs.filter((s) => s.name.startsWith(prefix));
  const params = ours(module.params);
  const state = ours(module.state);
  const expected = new Map<string, Expected>([...params, ...state].map((s) => [s.name.slice(prefix.length), { shape: s.shape, dtype }]));
  return pipe(
    decodeSafetensors(bytes),
    E.chain(({ tensors }) => {
      const bad = mismatches(expected, tensors, { strictDType: false, ignoreUnexpected: ignore });
      if (bad.length) return E.left<CheckpointError>({ _tag: 'MismatchError', mismatches: bad });
      const make = (specs: Module['params'], leaf: (t: Tensor) => Tensor) =>
        new Map(
          specs.map((s) => {
            const t = tensors.get(s.name.slice(prefix.length))!;
            return [s.name, leaf(T.tensor(t.data, t.shape, { dtype, backend: o.backend }))] as const;
          }),
        );
      return E.right({ params: make(params, asParameter), state: make(state, asState) });
    }),
  );
};
