/**
 * What a layer or model is: a pure description. `params` and `state` list the tensors it needs
 * (dotted names relative to the module, shapes, initialisers); `apply` is a pure function of
 * (params, state, input, context) returning the output and the new state (Equinox style: a
 * stateful layer such as BatchNorm takes its running statistics in and hands new ones back;
 * nothing is mutated). Randomness (dropout) comes from the explicit `ctx.rng`.
 */
import type { Rng } from '../rng/rng.js';
import type { CreateOptions } from '../ops/create.js';
import * as T from '../ops/index.js';
import { sizeOf, type Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { InitSpec } from './init.js';
import { asParameter, asState, EMPTY, graft, join, subtree, type ParamTree, type StateTree } from './tree.js';

export interface TensorSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly init: InitSpec;
}

export interface ApplyCtx {
  /** Training mode: dropout active, BatchNorm normalises by batch statistics. */
  readonly training: boolean;
  /** Required when training through a Dropout layer. */
  readonly rng?: Rng;
  /**
   * BatchNorm in training mode updates its running statistics unless this is false:
   * "use batch statistics but leave the running statistics alone" (the ELIM branch's projector).
   */
  readonly updateStats?: boolean;
  /**
   * Layer fusion (default on): Conv2d + ReLU pairs run as one kernel, and outside training a
   * BatchNorm2d after a Conv2d is folded into the convolution's weights and bias. Same values up
   * to float rounding; false runs every layer as written (for comparisons and debugging).
   */
  readonly fuse?: boolean;
}

/** A BatchNorm's eval-mode map y = x * scale + shift per channel (scale, shift: [C]). */
export interface EvalAffine {
  readonly scale: Tensor;
  readonly shift: Tensor;
}

export interface Applied {
  readonly y: Tensor;
  /** The module's whole state tree after the call (unchanged entries are the same tensors). */
  readonly state: StateTree;
}

export interface Module {
  readonly kind: string;
  readonly params: readonly TensorSpec[];
  readonly state: readonly TensorSpec[];
  apply(params: ParamTree, state: StateTree, x: Tensor, ctx: ApplyCtx): Applied;
  /**
   * The same layer with a ReLU fused onto its output (same params and state), for layers that
   * can apply one in their kernel (a biased convolution). A Sequential runs it in place of the
   * pair when this layer is followed by a 'ReLU' child: same values, one pass fewer.
   */
  readonly withRelu?: Module;
  /** A BatchNorm's per-channel eval-mode affine map (from its running statistics), for folding. */
  readonly evalAffine?: (params: ParamTree, state: StateTree) => EvalAffine;
  /**
   * A convolution followed by that affine map (then `act`) in one kernel: weights scaled per
   * output channel, bias = bias * scale + shift. Used outside training only.
   */
  readonly applyFolded?: (params: ParamTree, x: Tensor, affine: EvalAffine, act: 'none' | 'relu') => Tensor;
}

export const prefixSpecs = (prefix: string, specs: readonly TensorSpec[]): TensorSpec[] => specs.map((s) => ({ ...s, name: join(prefix, s.name) }));

/** A layer without parameters or state. */
export const stateless = (kind: string, f: (x: Tensor, ctx: ApplyCtx) => Tensor): Module => ({
  kind,
  params: [],
  state: [],
  apply: (_p, state, x, ctx) => ({ y: f(x, ctx), state }),
});

/** Runs a named child inside a composite's forward, threading its state; `as` runs a variant of it (same params and state). */
export type RunChild = (name: string, x: Tensor, as?: Module) => Tensor;

/** A child's params and state (read-only), for a forward that fuses children. */
export type ChildTensors = (name: string) => { readonly params: ParamTree; readonly state: StateTree };

/**
 * A module made of named children and a forward function that calls them through `run`.
 * The children's params/state appear under `name.` (torchvision's naming).
 */
export const composite = (
  kind: string,
  children: ReadonlyArray<readonly [string, Module]>,
  forward: (run: RunChild, x: Tensor, ctx: ApplyCtx, tensors: ChildTensors) => Tensor,
): Module => {
  const byName = new Map(children);
  return {
    kind,
    params: children.flatMap(([n, m]) => prefixSpecs(n, m.params)),
    state: children.flatMap(([n, m]) => prefixSpecs(n, m.state)),
    apply: (params, state, x, ctx) => {
      const next = new Map(state);
      const run: RunChild = (name, input, as) => {
        const m = as ?? byName.get(name);
        if (!m) throw new Error(`${kind}: no child '${name}'`); // a bug in the model definition, not a user error
        const r = m.apply(subtree(params, name), m.state.length ? subtree(state, name) : EMPTY, input, ctx);
        if (m.state.length) graft(next, name, r.state);
        return r.y;
      };
      const tensors: ChildTensors = (name) => ({ params: subtree(params, name), state: subtree(state, name) });
      const y = forward(run, x, ctx, tensors);
      return { y, state: next };
    },
  };
};

/** Children applied in order, named '0', '1', ... (torch.nn.Sequential). */
export const sequential = (layers: readonly Module[]): Module => named(layers.map((m, i) => [String(i), m] as const));

/**
 * A convolution child followed by a BatchNorm child, outside training, as one convolution with
 * the BatchNorm folded into its weights and bias, then `act`: act(bn(conv(x))) up to float
 * rounding, without the BatchNorm's passes over the activation. Null when the pair cannot fold
 * (training, fusion off, or modules without the hooks): the caller runs the children as written.
 */
export const foldConvBn = (
  conv: readonly [string, Module],
  bn: readonly [string, Module],
  x: Tensor,
  ctx: ApplyCtx,
  tensors: ChildTensors,
  act: 'none' | 'relu',
): Tensor | null => {
  const [cName, c] = conv;
  const [bName, b] = bn;
  if (ctx.training || ctx.fuse === false || !c.applyFolded || !b.evalAffine) return null;
  const bt = tensors(bName);
  return c.applyFolded(tensors(cName).params, x, b.evalAffine(bt.params, bt.state), act);
};

/**
 * Children applied in order under the given names. A child with a fused-ReLU variant followed
 * by a ReLU child runs as that variant and the ReLU is skipped (it has no params or state, so
 * names and checkpoints are unchanged); outside training a Conv2d + BatchNorm2d (+ ReLU) run is
 * one folded convolution (foldConvBn). ctx.fuse = false runs every child as written.
 */
export const named = (children: ReadonlyArray<readonly [string, Module]>, kind = 'Sequential'): Module =>
  composite(kind, children, (run, x, ctx, tensors) => {
    let h = x;
    for (let i = 0; i < children.length; i++) {
      const [name, m] = children[i];
      const relu = children[i + 2]?.[1].kind === 'ReLU';
      const folded = i + 1 < children.length ? foldConvBn(children[i], children[i + 1], h, ctx, tensors, relu ? 'relu' : 'none') : null;
      if (folded) {
        h = folded;
        i += relu ? 2 : 1;
      } else if (m.withRelu && ctx.fuse !== false && children[i + 1]?.[1].kind === 'ReLU') {
        h = run(name, h, m.withRelu);
        i++;
      } else h = run(name, h);
    }
    return h;
  });

/** Allocates tensors for specs, seeded by rng (one fork per tensor, so adding a tensor does not shift the others). */
export const initTensors = (
  specs: readonly TensorSpec[],
  rng: Rng,
  o: Omit<CreateOptions, 'requiresGrad'> = {},
  leaf: (t: Tensor) => Tensor = asParameter,
): Map<string, Tensor> =>
  new Map(
    specs.map((s) => {
      const r = rng.fork();
      const i = s.init;
      const t =
        i.kind === 'const'
          ? T.full(s.shape, i.value, o)
          : i.kind === 'uniform'
            ? T.randomUniform(s.shape, r, -i.bound, i.bound, o)
            : T.randomNormal(s.shape, r, 0, i.std, o);
      return [s.name, leaf(t)] as const;
    }),
  );

/**
 * Allocates a module's parameters (long-lived leaves with requiresGrad) and state (long-lived
 * constants). For a bare parameter list (e.g. a cross-attention block: `attentionParams(o)`)
 * use initTensors.
 */
export const initModule = (m: Module, rng: Rng, o: Omit<CreateOptions, 'requiresGrad'> = {}): { params: Map<string, Tensor>; state: Map<string, Tensor> } => ({
  params: initTensors(m.params, rng, o, asParameter),
  state: initTensors(m.state, rng, o, asState),
});

/** Number of parameters, from shapes alone (nothing allocated). */
export const countParams = (m: Module): number => m.params.reduce((n, s) => n + sizeOf(s.shape), 0);
