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

/**
 * A module made of named children and a forward function that calls them through `run`.
 * The children's params/state appear under `name.` (torchvision's naming).
 */
export const composite = (
  kind: string,
  children: ReadonlyArray<readonly [string, Module]>,
  forward: (run: RunChild, x: Tensor, ctx: ApplyCtx) => Tensor,
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
      const y = forward(run, x, ctx);
      return { y, state: next };
    },
  };
};

/** Children applied in order, named '0', '1', ... (torch.nn.Sequential). */
export const sequential = (layers: readonly Module[]): Module =>
  named(layers.map((m, i) => [String(i), m] as const));

/**
 * Children applied in order under the given names. A child with a fused-ReLU variant followed
 * by a ReLU child runs as that variant and the ReLU is skipped (it has no params or state, so
 * names and checkpoints are unchanged).
 */
export const named = (children: ReadonlyArray<readonly [string, Module]>, kind = 'Sequential'): Module =>
  composite(kind, children, (run, x) => {
    let h = x;
    for (let i = 0; i < children.length; i++) {
      const [name, m] = children[i];
      if (m.withRelu && children[i + 1]?.[1].kind === 'ReLU') {
        h = run(name, h, m.withRelu);
        i++;
      } else h = run(name, h);
    }
    return h;
  });

/** Allocates tensors for specs, seeded by rng (one fork per tensor, so adding a tensor does not shift the others). */
export const initTensors = (specs: readonly TensorSpec[], rng: Rng, o: Omit<CreateOptions, 'requiresGrad'> = {}, leaf: (t: Tensor) => Tensor = asParameter): Map<string, Tensor> =>
  new Map(
    specs.map((s) => {
      const r = rng.fork();
      const i = s.init;
      const t = i.kind === 'const' ? T.full(s.shape, i.value, o) : i.kind === 'uniform' ? T.randomUniform(s.shape, r, -i.bound, i.bound, o) : T.randomNormal(s.shape, r, 0, i.std, o);
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
