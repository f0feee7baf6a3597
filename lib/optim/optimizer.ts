/**
 * Optimisers as pure update rules over parameter trees. `step` consumes the parameters, the
 * gradients and the previous optimiser state (all disposed) and returns new parameters
 * (fresh leaves with requiresGrad) and new state: nothing is mutated, nothing leaks, and the
 * state is a tree of tensors plus a step count, so it checkpoints like the model.
 * Parameter groups give subsets their own learning-rate scale and weight decay (the ELIM
 * release trains its projector at 0.2x); the learning rate is base lr x schedule(step) x scale.
 */
import { noGrad } from '../autograd/tape.js';
import { EngineError } from '../errors.js';
import * as T from '../ops/index.js';
import { scope } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';
import { asParameter, asState, type ParamTree } from '../nn/tree.js';
import type { Schedule } from './schedules.js';

export type GradTree = ReadonlyMap<string, Tensor>;

export interface ParamGroup {
  /** Which parameters (by dotted name) belong to the group; the first matching group wins. */
  readonly match: (name: string) => boolean;
  readonly lrScale?: number;
  readonly weightDecay?: number;
}

export interface OptimizerState {
  /** Updates applied so far (Adam's bias correction and the schedule read it). */
  readonly step: number;
  /** Per-parameter buffers, named `<slot>/<param name>` (e.g. `exp_avg/fc.weight`). */
  readonly slots: ReadonlyMap<string, Tensor>;
}

export interface Optimizer {
  readonly kind: string;
  /** Zeroed buffers for these parameters. */
  init(params: ParamTree): OptimizerState;
  /** One update. Consumes params, grads and state (disposes them); returns their successors. */
  step(params: ParamTree, grads: GradTree, state: OptimizerState): { params: Map<string, Tensor>; state: OptimizerState };
  /** The learning rate a parameter gets at a given step (for logging and tests). */
  lrFor(name: string, step: number): number;
}

export interface CommonOptions {
  readonly lr: number;
  readonly weightDecay?: number;
  readonly groups?: readonly ParamGroup[];
  /** Multiplier of lr by step count (default constant 1). */
  readonly schedule?: Schedule;
}

/** The update of one parameter: new value and new slot tensors (slot name -> tensor). */
export type RuleResult = { readonly value: Tensor; readonly slots: Readonly<Record<string, Tensor>> };
export type Rule = (p: Tensor, g: Tensor, slots: Readonly<Record<string, Tensor>>, lr: number, weightDecay: number, t: number) => RuleResult;

const groupOf = (o: CommonOptions, name: string) => o.groups?.find((g) => g.match(name));

export const lrAt = (o: CommonOptions, name: string, step: number): number => o.lr * (o.schedule ? o.schedule(step) : 1) * (groupOf(o, name)?.lrScale ?? 1);

/** Builds an optimiser from a per-parameter rule and the names of its slots. */
export const makeOptimizer = (kind: string, o: CommonOptions, slotNames: readonly string[], rule: Rule): Optimizer => ({
  kind,
  lrFor: (name, step) => lrAt(o, name, step),
  init: (params) =>
    noGrad(() => {
      const slots = new Map<string, Tensor>();
      for (const [name, p] of params) for (const s of slotNames) slots.set(`${s}/${name}`, asState(scopeZeros(p)));
      return { step: 0, slots };
    }),
  step: (params, grads, state) => {
    const t = state.step + 1;
    const next = new Map<string, Tensor>();
    const slots = new Map<string, Tensor>();
    noGrad(() => {
      for (const [name, p] of params) {
        const g = grads.get(name);
        if (!g) throw new EngineError('ArgumentError', kind, `no gradient for parameter '${name}'`);
        if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i])) {
          throw new EngineError('ShapeError', kind, `gradient of '${name}' has shape [${g.shape}] but the parameter [${p.shape}]`);
        }
        const own: Record<string, Tensor> = {};
        for (const s of slotNames) {
          const v = state.slots.get(`${s}/${name}`);
          if (!v) throw new EngineError('ArgumentError', kind, `optimiser state has no '${s}/${name}'`);
          own[s] = v;
        }
        const wd = groupOf(o, name)?.weightDecay ?? o.weightDecay ?? 0;
        // each parameter's intermediates are released as soon as its update is done
        const r = scope(() => rule(p, g, own, lrAt(o, name, state.step), wd, t));
        next.set(name, asParameter(r.value));
        for (const s of slotNames) slots.set(`${s}/${name}`, asState(r.slots[s]));
      }
    });
    for (const p of params.values()) p.dispose();
    for (const g of grads.values()) g.dispose();
    for (const s of state.slots.values()) s.dispose();
    return { params: next, state: { step: t, slots } };
  },
});

const scopeZeros = (p: Tensor) => T.zerosLike(p);

/** Disposes an optimiser state's tensors. */
export const disposeOptimizerState = (s: OptimizerState): void => {
  for (const t of s.slots.values()) t.dispose();
};
