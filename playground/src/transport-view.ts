/**
 * The Transport tab: one training batch (the run's seeded sampler replayed to the chosen
 * iteration), two of its identities, and the Sinkhorn plan between their frames computed with
 * lib/ot through the root entry: cost (cosine), relevance weights (mean-dot), the plan as a
 * heat map with the faces on its axes, and the identity shift mu_j each target frame receives.
 * Features are the trained ELIM encoder's latents when the Train tab has run, else the frames'
 * centred grey pixels (so the view works before any training).
 */
import * as E from 'fp-ts/lib/Either.js';
import { ot, Rng } from '../../entries/index.js';
import { identitySampler } from '../../pipelines/data/identity-sampler.js';
import { pageRun } from './config.js';
import { pageData, type PageData } from './data.js';
import { context } from './charts.js';
import { probe } from './probe.js';
import { query, trained } from './train-view.js';

interface Controls {
  batch: HTMLInputElement;
  a: HTMLSelectElement;
  b: HTMLSelectElement;
  lambda: HTMLInputElement;
  iterations: HTMLInputElement;
}

let controls: Controls | null = null;
let cache: { key: string; data: PageData } | null = null;

const range = (label: string, min: number, max: number, step: number, value: number, onInput: () => void): HTMLInputElement => {
  const l = document.createElement('label');
  const r = document.createElement('input');
  const out = document.createElement('b');
  Object.assign(r, { type: 'range', min: String(min), max: String(max), step: String(step), value: String(value) });
  r.name = label;
  const show = () => (out.textContent = label === 'lambda' ? (10 ** Number(r.value)).toPrecision(3) : r.value);
  show();
  r.addEventListener('input', () => {
    show();
    onInput();
  });
  l.append(`${label} `, r, ' ', out);
  document.getElementById('transport-controls')!.append(l);
  return r;
};

export const buildTransportControls = (): void => {
  const box = document.getElementById('transport-controls')!;
  const select = (name: string) => {
    const l = document.createElement('label');
    const s = document.createElement('select');
    s.name = name;
    s.addEventListener('change', () => drawTransport());
    l.append(`${name} `, s);
    box.append(l);
    return s;
  };
  const batch = range('batch', 0, 49, 1, 0, () => drawTransport(true));
  const a = select('anchor');
  const b = select('target');
  // lambda on a log scale: 10^-1 .. 10^2, default 5 (the release)
  const lambda = range('lambda', -1, 2, 0.05, Math.log10(5), () => drawTransport());
  const iterations = range('iterations', 1, 100, 1, 5, () => drawTransport());
  controls = { batch, a, b, lambda, iterations };
};

const dataFor = (): E.Either<string, { data: PageData; seed: number; P: number; K: number }> => {
  const run = pageRun(query());
  if (E.isLeft(run)) return run;
  const t = trained();
  const s = run.right.baseline.settings;
  if (t)
    return E.right({
      data: t.data,
      seed: t.session.spec.settings.seed,
      P: t.session.spec.settings.batch.identities,
      K: t.session.spec.settings.batch.perIdentity,
    });
  const key = JSON.stringify(run.right.synth) + run.right.seed + s.model.inputSize;
  if (cache?.key !== key) cache = { key, data: pageData(run.right) };
  return E.right({ data: cache.data, seed: s.seed, P: s.batch.identities, K: s.batch.perIdentity });
};

/** Centred grey pixels of each frame (features before any training). */
const pixelFeatures = (d: PageData, idx: readonly number[]): Float64Array => {
  const s = d.train.size;
  const per = s * s;
  const out = new Float64Array(idx.length * per);
  idx.forEach((i, r) => {
    let mean = 0;
    for (let p = 0; p < per; p++) {
      const o = (i * per + p) * 3;
      const v = (0.299 * d.train.rgb[o]! + 0.587 * d.train.rgb[o + 1]! + 0.114 * d.train.rgb[o + 2]!) / 255;
      out[r * per + p] = v;
      mean += v / per;
    }
    for (let p = 0; p < per; p++) out[r * per + p]! -= mean;
  });
  return out;
};

const thumb = (g: CanvasRenderingContext2D, d: PageData, i: number, x: number, y: number, w: number) => {
  const s = d.train.size;
  const img = new ImageData(s, s);
  for (let p = 0; p < s * s; p++) {
    img.data[4 * p] = d.train.rgb[(i * s * s + p) * 3]!;
    img.data[4 * p + 1] = d.train.rgb[(i * s * s + p) * 3 + 1]!;
    img.data[4 * p + 2] = d.train.rgb[(i * s * s + p) * 3 + 2]!;
    img.data[4 * p + 3] = 255;
  }
  const c = document.createElement('canvas');
  c.width = s;
  c.height = s;
  c.getContext('2d')!.putImageData(img, 0, 0);
  g.imageSmoothingEnabled = false;
  g.drawImage(c, x, y, w, w);
};

export const drawTransport = (newBatch = false): void => {
  if (!controls) return;
  const text = document.getElementById('transport-text')!;
  const got = dataFor();
  if (E.isLeft(got)) {
    text.textContent = got.left;
    return;
  }
  const { data, seed, P, K } = got.right;
  // the trainer's batch order: its sampler stream, replayed to the chosen iteration
  const sampler = identitySampler(data.train.keys, { identitiesPerBatch: P, imagesPerIdentity: K }, Rng.fromSeed(seed).fork().fork());
  if (E.isLeft(sampler)) {
    text.textContent = sampler.left.message;
    return;
  }
  let idx: number[] = [];
  for (let t = 0; t <= Number(controls.batch.value); t++) idx = [...sampler.right.next()];
  const ids = [...new Set(idx.map((i) => data.train.identities[i]!))];
  const current = (s: HTMLSelectElement, fallback: string) => (!newBatch && ids.includes(s.value) ? s.value : fallback);
  const [aId, bId] = [current(controls.a, ids[0]!), current(controls.b, ids[1] ?? ids[0]!)];
  for (const [s, v] of [
    [controls.a, aId],
    [controls.b, bId],
  ] as const)
    s.replaceChildren(...ids.map((id) => new Option(id, id, false, id === v)));
  const rows = idx.filter((i) => data.train.identities[i] === aId);
  const cols = idx.filter((i) => data.train.identities[i] === bId);
  const t = trained();
  let x: Float64Array, y: Float64Array, dim: number, source: string;
  if (t) {
    const z = t.session.latents([...rows, ...cols]);
    dim = t.session.model.spec.latent;
    x = Float64Array.from(z.subarray(0, rows.length * dim));
    y = Float64Array.from(z.subarray(rows.length * dim));
    source = `latents of the ELIM encoder after ${t.session.step} iterations`;
  } else {
    dim = data.train.size * data.train.size;
    x = pixelFeatures(data, rows);
    y = pixelFeatures(data, cols);
    source = "centred grey pixels (train in the Train tab to see the encoder's latents)";
  }
  const X = { data: x, rows: rows.length, dim },
    Y = { data: y, rows: cols.length, dim };
  const lambda = 10 ** Number(controls.lambda.value);
  const iterations = Number(controls.iterations.value);
  const cost = ot.costMatrix('cosine', X, Y);
  const w = ot.relevanceWeights(X, Y, 'mean-dot');
  if (E.isLeft(cost) || E.isLeft(w)) {
    text.textContent = `cannot match: ${JSON.stringify(E.isLeft(cost) ? cost.left : (w as E.Left<unknown>).left)}`;
    return;
  }
  const problem = ot.makeProblem({ cost: cost.right, n: rows.length, m: cols.length, a: w.right.a, b: w.right.b });
  if (E.isLeft(problem)) {
    text.textContent = `cannot match: ${JSON.stringify(problem.left)}`;
    return;
  }
  const out = ot.sinkhorn(problem.right, { lambda, iterations });
  if (E.isLeft(out)) {
    text.textContent = `Sinkhorn failed: ${JSON.stringify(out.left)}`;
    return;
  }
  const plan = out.right.plan;
  // ELIM's per-sample shift mu_j = sum_i X_ij C_ij: the transport cost each target frame receives
  const shift = ot.columnCosts(problem.right, plan);
  drawPlan(data, rows, cols, plan, w.right.a, w.right.b, shift);
  const rowSums = rows.map((_, i) => cols.reduce((acc, _c, j) => acc + plan[i * cols.length + j]!, 0));
  probe.transport = {
    anchor: aId,
    target: bId,
    n: rows.length,
    m: cols.length,
    lambda,
    iterations,
    features: t ? 'latents' : 'pixels',
    plan: Array.from(plan),
    a: Array.from(w.right.a),
    b: Array.from(w.right.b),
    shift: Array.from(shift),
    rowSums,
    transportCost: out.right.transportCost,
    marginalError: out.right.marginalError,
  };
  text.textContent = `${aId} (rows) → ${bId} (columns), ${rows.length} x ${cols.length} frames; features: ${source}. λ = ${lambda.toPrecision(3)}, ${out.right.iterations} iterations; transport cost ⟨X, C⟩ = ${out.right.transportCost.toFixed(4)}; marginal error (L1) rows ${out.right.marginalError.rows.toExponential(2)}, columns ${out.right.marginalError.cols.toExponential(2)}.`;
};

const drawPlan = (
  d: PageData,
  rows: number[],
  cols: number[],
  plan: ArrayLike<number>,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  shift: ArrayLike<number>,
) => {
  const { g, w, h } = context(document.getElementById('transport') as HTMLCanvasElement);
  const n = rows.length,
    m = cols.length;
  const bar = 46,
    th = 40,
    gap = 4,
    bottom = 70;
  const x0 = bar + th + 2 * gap,
    y0 = bar + th + 2 * gap + 14;
  const cell = Math.min((w - x0 - 10) / m, (h - y0 - bottom - 10) / n);
  let max = 0;
  for (let k = 0; k < n * m; k++) max = Math.max(max, plan[k]!);
  g.fillStyle = '#222';
  g.fillText('plan X (anchor frames: rows, target frames: columns); bars: relevance a (left), b (top), shift μ (bottom)', 4, 12);
  for (let i = 0; i < n; i++) {
    thumb(g, d, rows[i]!, bar + gap, y0 + i * cell + (cell - th) / 2, th);
    const len = (a[i]! / Math.max(...Array.from(a))) * (bar - 4);
    g.fillStyle = '#2ca02c';
    g.fillRect(bar - len, y0 + i * cell + cell / 2 - 5, len, 10);
  }
  for (let j = 0; j < m; j++) {
    thumb(g, d, cols[j]!, x0 + j * cell + (cell - th) / 2, 18 + bar + gap, th);
    const len = (b[j]! / Math.max(...Array.from(b))) * (bar - 4);
    g.fillStyle = '#2ca02c';
    g.fillRect(x0 + j * cell + cell / 2 - 5, 18 + bar - len, 10, len);
  }
  // white (0) to dark blue (the plan's largest entry); each cell's mass printed when there is room
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      const v = max > 0 ? plan[i * m + j]! / max : 0;
      g.fillStyle = `rgb(${Math.round(255 - 230 * v)},${Math.round(255 - 190 * v)},${Math.round(255 - 90 * v)})`;
      g.fillRect(x0 + j * cell, y0 + i * cell, cell - 1, cell - 1);
      if (cell >= 34) {
        g.fillStyle = v > 0.55 ? '#fff' : '#223';
        g.fillText(plan[i * m + j]!.toFixed(3), x0 + j * cell + cell / 2 - 14, y0 + i * cell + cell / 2 + 4);
      }
    }
  const smax = Math.max(...Array.from(shift).map(Math.abs), 1e-12);
  const sy = y0 + n * cell + 8;
  for (let j = 0; j < m; j++) {
    const len = (Math.abs(shift[j]!) / smax) * (bottom - 24);
    g.fillStyle = '#d62728';
    g.fillRect(x0 + j * cell + cell / 2 - 6, sy, 12, len);
    g.fillStyle = '#333';
    g.fillText(shift[j]!.toFixed(3), x0 + j * cell + cell / 2 - 14, sy + len + 12);
  }
};
