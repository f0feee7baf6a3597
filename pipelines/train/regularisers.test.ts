/**
 * Issue #15's baselines: augmentation, early stopping on a split of training identities, and
 * the identity-adversarial reference; test-time identity matching.
 */
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../../lib/backend/current.js';
import { Rng } from '../../lib/rng/rng.js';
import * as T from '../../lib/ops/index.js';
import { grad } from '../../lib/autograd/index.js';
import { initModule } from '../../lib/nn/module.js';
import { scope } from '../../lib/tensor/scope.js';
import { synthesizeInMemory } from '../data/synthetic/synthesize.js';
import { makeConfig } from '../config.js';
import { createEventSink, type EventSink } from '../cli/events.js';
import { assembleBatch, imageSetFromSynthetic, subsetByIdentity } from './image-set.js';
import { phasesFor } from './elim-objective.js';
import { formatTrainError } from './errors.js';
import { adversaryModule, crossEntropy, reversalAt } from './adversarial-objective.js';
import { evaluateSet } from './evaluate.js';
import { selectionSplit } from './run.js';
import { type TrainSettings } from './trainer.js';
import { adamAt, tinySettings, trainPlan } from './trainer.test-helpers.js';

const backend = useBackend(createCpuBackend({ threads: 1 }));
const ds = synthesizeInMemory({ seed: 3, identities: 10, heldOut: 2, frames: 12, size: 16 });
const all = imageSetFromSynthetic(ds);
const trainSet = subsetByIdentity(all, new Set(ds.trainIdentities));
const heldOut = subsetByIdentity(all, new Set(ds.heldOutIdentities));

const settings = (steps: number, extra: Partial<TrainSettings> = {}): TrainSettings =>
  tinySettings(steps, { optimizer: adamAt(3e-3), validateEvery: 2, ...extra });

/** An event sink that keeps what it is given. */
const recorder = (): EventSink & { events: Array<Record<string, unknown>> } => {
  const events: Array<Record<string, unknown>> = [];
  const quiet = createEventSink({ quiet: true });
  return { ...quiet, events, emit: (e: Record<string, unknown>) => events.push(e) } as EventSink & { events: Array<Record<string, unknown>> };
};

describe('augmentation', () => {
  const idx = [0, 5, 9, 14];
  it('flip-only batches draw nothing more (the previous batches bit for bit)', () => {
    const r1 = Rng.fromSeed(4),
      r2 = Rng.fromSeed(4);
    const a = assembleBatch(trainSet, idx, { flip: true }, r1);
    const b = assembleBatch(trainSet, idx, { flip: true, jitter: 0, translate: 0 }, r2);
    expect(a.x).toEqual(b.x);
    expect(r1.uniform()).toBe(r2.uniform());
  });
  it('jitter and translation are seeded, stay in range and change the pixels', () => {
    const aug = { flip: false, jitter: 0.3, translate: 2 };
    const a = assembleBatch(trainSet, idx, aug, Rng.fromSeed(8));
    const b = assembleBatch(trainSet, idx, aug, Rng.fromSeed(8));
    const plain = assembleBatch(trainSet, idx, { flip: false });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(plain.y);
    let diff = 0;
    for (let i = 0; i < a.x.length; i++) diff += Math.abs(a.x[i] - plain.x[i]);
    expect(diff / a.x.length).toBeGreaterThan(0.01);
    // pixels stay within the normalised range of [0, 255]
    const lo = -0.485 / 0.229 - 1e-6,
      hi = (1 - 0.406) / 0.225 + 1e-6;
    for (const v of a.x) expect(v >= lo - 0.2 && v <= hi + 0.2).toBe(true);
  });
  it('a translation by one pixel moves the image by one pixel', () => {
    // find a seed whose first draw gives dx = 1, dy = 0 (translate 1: dx, dy in {-1, 0, 1})
    for (let seed = 0; seed < 200; seed++) {
      const r = Rng.fromSeed(seed);
      const dx = r.int(3) - 1,
        dy = r.int(3) - 1;
      if (dx !== 1 || dy !== 0) continue;
      const moved = assembleBatch(trainSet, [0], { flip: false, translate: 1 }, Rng.fromSeed(seed)).x;
      const plain = assembleBatch(trainSet, [0], { flip: false }).x;
      const S = 16;
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < S; y++) for (let x = 1; x < S; x++) expect(moved[c * S * S + y * S + x]).toBe(plain[c * S * S + y * S + x - 1]);
      return;
    }
    throw new Error('no seed with dx = 1, dy = 0');
  });
});

describe('early stopping on training identities', () => {
  it('the selection split takes training identities only, disjoint from what is trained on', () => {
    const s = selectionSplit(trainSet, 0.25, 5);
    const sel = new Set(s.selection.identities),
      tr = new Set(s.train.identities);
    expect(sel.size).toBe(2);
    for (const id of sel) {
      expect(tr.has(id)).toBe(false);
      expect(ds.trainIdentities).toContain(id);
    }
    expect(s.train.count + s.selection.count).toBe(trainSet.count);
    expect(selectionSplit(trainSet, 0.25, 5).selection.identities).toEqual(s.selection.identities);
  });

  it('keeps the parameters of the best selection step and evaluates those', async () => {
    const s = selectionSplit(trainSet, 0.25, 5);
    const plan = phasesFor('baseline', makeConfig({ elim: false }), 16, 0);
    const ev = recorder();
    const r = await trainPlan(settings(8, { earlyStop: { fraction: 0.25 } }), plan, backend, s.train, ev, {
      selection: s.selection,
      validation: heldOut,
      events: ev,
    });
    if (E.isLeft(r)) throw new Error(formatTrainError(r.left));
    const scores = ev.events.filter((e) => e.event === 'selection').map((e) => [e.step as number, e.score as number] as const);
    expect(scores.map(([st]) => st)).toEqual([2, 4, 6, 8]);
    const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
    expect(r.right.selected).toEqual({ step: best[0], score: best[1] });
    // the returned parameters are the selected ones: the selection split scores exactly that again
    const again = evaluateSet(r.right, s.selection, backend).overall;
    expect((again.valence.ccc + again.arousal.ccc) / 2).toBeCloseTo(best[1], 5);
  });
});

describe('identity-adversarial reference', () => {
  it('crossEntropy matches its definition; the reversal ramps from 0 to lambda', () => {
    const logits = T.tensor([1, 2, 0.5, -1, 0, 3], [2, 3], { dtype: 'float64' });
    const ref = (-(2 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0.5))) - (3 - Math.log(Math.exp(-1) + Math.exp(0) + Math.exp(3)))) / 2;
    expect(crossEntropy(logits, [1, 2]).item()).toBeCloseTo(ref, 12);
    expect(reversalAt(2, 0, 100)).toBe(0);
    expect(reversalAt(2, 100, 100)).toBeCloseTo(2 * (2 / (1 + Math.exp(-10)) - 1), 12);
    expect(reversalAt(2, 50, 100)).toBeGreaterThan(reversalAt(2, 10, 100));
  });

  it('the encoder gets -lambda times the identity loss gradient, the adversary its ordinary gradient', () => {
    scope(() => {
      const ids = ['a', 'b', 'c'];
      const plan = phasesFor('adversarial', makeConfig({ elim: false }), 4, 0, {
        settings: { weight: 1, lambda: 1, hidden: 5 },
        identities: ids,
        steps: 10,
      });
      expect(plan.extras.map(([n]) => n)).toEqual(['adversary']);
      const module = adversaryModule(4, 5, 3);
      const adv = initModule(module, Rng.fromSeed(2), { dtype: 'float64' });
      const z = T.tensor(
        Array.from({ length: 24 }, (_, i) => Math.sin(i)),
        [6, 4],
        { dtype: 'float64', requiresGrad: true },
      );
      const classes = [0, 1, 2, 0, 1, 2];
      const ws = [...adv.params.values()];
      const ce = (x: ReturnType<typeof T.tensor>) => crossEntropy(module.apply(adv.params, new Map(), x, { training: true, rng: Rng.fromSeed(0) }).y, classes);
      const [gzRev, ...gwRev] = grad(ce(T.gradReverse(z, 0.7)), [z, ...ws]);
      const [gzPlain, ...gwPlain] = grad(ce(z), [z, ...ws]);
      const rev = Array.from(gzRev.toArray()),
        plain = Array.from(gzPlain.toArray());
      expect(plain.some((g) => Math.abs(g) > 1e-6)).toBe(true);
      rev.forEach((g, i) => expect(g).toBeCloseTo(-0.7 * plain[i], 12));
      gwRev.forEach((g, k) => expect(Array.from(g.toArray())).toEqual(Array.from(gwPlain[k].toArray())));
    });
  });

  it('trains: the loss stays finite and the identity term is logged', async () => {
    const ids = [...new Set(trainSet.keys)];
    const plan = phasesFor('adversarial', makeConfig({ elim: false }), 16, 0, {
      settings: { weight: 0.1, lambda: 1, hidden: 8 },
      identities: ids,
      steps: 4,
    });
    const r = await trainPlan(settings(4, { validateEvery: 0 }), plan, backend, trainSet, createEventSink({ quiet: true }));
    if (E.isLeft(r)) throw new Error(formatTrainError(r.left));
    expect(r.right.outcomes).toEqual({ adversarial: 4 });
    for (const h of r.right.history) {
      expect(Number.isFinite(h.terms.total)).toBe(true);
      expect(h.terms.adversary).toBeGreaterThan(0);
    }
    expect(r.right.params.has('adversary.0.weight') || [...r.right.params.keys()].some((k) => k.startsWith('adversary.'))).toBe(true);
  });
});
