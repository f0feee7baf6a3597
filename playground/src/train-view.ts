/**
 * The Train tab: the settings form (URL query <-> inputs), both runs interleaved one iteration
 * at a time with the event loop handed back between iterations (the page stays responsive, the
 * stop button works), the progress bar and the live charts.
 */
import * as E from 'fp-ts/lib/Either.js';
import { compareCommand, pageRun, PAGE_DEFAULTS, type PageRun } from './config.js';
import { pageData, type PageData } from './data.js';
import { pageBackend } from './backend.js';
import { Session, type Validation } from './session.js';
import { context, diverging, dot, lineChart, PALETTE, vaDisc, type Series } from './charts.js';
import { probe } from './probe.js';
import { tsne } from '../../pipelines/report/tsne/tsne.js';
import type { Method } from '../../pipelines/train/elim-objective.js';

/** The fields of the form (CLI spelling); everything else stays at the CLI's defaults or the query. */
const FIELDS: ReadonlyArray<{ name: string; label: string; choices?: readonly string[] }> = [
  { name: 'backend', label: 'backend', choices: ['auto', 'gpujs', 'cpu'] },
  { name: 'seed', label: 'seed' },
  { name: 'steps', label: 'iterations' },
  { name: 'synth-identities', label: 'identities' },
  { name: 'synth-held-out', label: 'held out' },
  { name: 'synth-frames', label: 'frames' },
  { name: 'synth-band', label: 'band', choices: ['narrow', 'wide', 'disc'] },
  { name: 'synth-style', label: 'style', choices: ['none', 'mild', 'strong'] },
  { name: 'identities-per-batch', label: 'P' },
  { name: 'images-per-identity', label: 'K' },
  { name: 'lr', label: 'lr' },
  { name: 'lambda', label: 'λ' },
];

const DEFAULT_SHOWN: Record<string, string> = {
  backend: 'auto',
  seed: '0',
  lr: '0.001',
  lambda: '5',
  'synth-band': 'narrow',
  'synth-style': 'mild',
  ...PAGE_DEFAULTS,
};

export const query = (): URLSearchParams => new URLSearchParams(location.search);

export const buildForm = (onChange: () => void): void => {
  const form = document.getElementById('form')!;
  const q = query();
  for (const f of FIELDS) {
    const label = document.createElement('label');
    label.textContent = `${f.label} `;
    const value = q.get(f.name) ?? DEFAULT_SHOWN[f.name] ?? '';
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.choices) {
      input = document.createElement('select');
      for (const c of f.choices) input.append(new Option(c, c, false, c === value));
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
      input.value = value;
    }
    input.name = f.name;
    input.addEventListener('change', () => {
      const next = query();
      next.set(f.name, input.value);
      history.replaceState(null, '', `?${next}`);
      onChange();
    });
    label.append(input);
    form.append(label);
  }
};

const COLORS: Record<Method, string> = { baseline: PALETTE[0]!, elim: PALETTE[1]!, adversarial: PALETTE[2]! };
const TERM_COLORS = PALETTE.slice(2);

let stopRequested = false;
let sessions: Session[] = [];
let lastData: PageData | null = null;

/** The ELIM run of the last training (the transport view encodes with it), and its data. */
export const trained = (): { session: Session; data: PageData } | null => {
  const s = sessions.find((x) => x.method === 'elim' && x.step > 0);
  return s && lastData ? { session: s, data: lastData } : null;
};

const keep = (name: string, series: Series[]) => {
  probe.charts[name] = series.map((s) => ({ name: s.name, points: s.points.map(([x, y]) => [x, y] as [number, number]) }));
};

const drawCharts = (steps: number) => {
  for (const s of sessions) {
    const keys = [...new Set(s.history.flatMap((h) => Object.keys(h.terms)))].filter((k) => !/warmup$/.test(k));
    const series = keys.map((k, i) => ({
      name: k,
      color: TERM_COLORS[i % TERM_COLORS.length]!,
      points: s.history.filter((h) => k in h.terms).map((h) => [h.step, h.terms[k]!] as [number, number]),
    }));
    keep(`loss-${s.method}`, series);
    lineChart(document.getElementById(`chart-loss-${s.method}`) as HTMLCanvasElement, series, { title: `loss terms — ${s.method}`, xMax: steps });
  }
  for (const axis of ['valence', 'arousal'] as const) {
    const series: Series[] = sessions.flatMap((s) => [
      { name: `${s.method} held-out`, color: COLORS[s.method], points: s.validations.map((v) => [v.step, v.heldOut[axis].ccc] as [number, number]) },
      {
        name: `${s.method} training`,
        color: COLORS[s.method],
        dash: [4, 3],
        points: s.validations.map((v) => [v.step, v.train[axis].ccc] as [number, number]),
      },
    ]);
    keep(`ccc-${axis}`, series);
    lineChart(document.getElementById(`chart-ccc-${axis}`) as HTMLCanvasElement, series, {
      title: `CCC ${axis} (held-out: solid, training: dashed)`,
      xMax: steps,
      yRange: [-0.2, 1],
    });
  }
  for (const s of sessions) drawScatter(s.method, s.validations.at(-1));
  for (const s of sessions) drawTsne(s.method, s.validations.at(-1));
};

/** t-SNE of the held-out latents at the latest validation, coloured by true valence (what `elim compare` plots). */
const TSNE_POINTS = 300;
const tsneDone = new Map<string, number>();
const drawTsne = (method: string, v: Validation | undefined) => {
  if (!v || !lastData || tsneDone.get(method) === v.step) return;
  tsneDone.set(method, v.step);
  const n = Math.min(lastData.heldOut.count, TSNE_POINTS);
  const d = v.latents.length / lastData.heldOut.count;
  const emb = tsne(v.latents.subarray(0, n * d), n, d, { seed: 7, iterations: 300 });
  const { g, w, h } = context(document.getElementById(`tsne-${method}`) as HTMLCanvasElement);
  g.fillStyle = '#222';
  g.fillText(`t-SNE of held-out latents — ${method} (iteration ${v.step})`, 4, 12);
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, emb[2 * i]!);
    x1 = Math.max(x1, emb[2 * i]!);
    y0 = Math.min(y0, emb[2 * i + 1]!);
    y1 = Math.max(y1, emb[2 * i + 1]!);
  }
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const px = 10 + ((emb[2 * i]! - x0) / (x1 - x0 || 1)) * (w - 20);
    const py = 22 + ((emb[2 * i + 1]! - y0) / (y1 - y0 || 1)) * (h - 32);
    g.fillStyle = diverging(lastData.heldOut.labels[2 * i]!);
    g.beginPath();
    g.arc(px, py, 2.5, 0, 2 * Math.PI);
    g.fill();
    pts.push([emb[2 * i]!, emb[2 * i + 1]!]);
  }
  probe.charts[`tsne-${method}`] = [{ name: 't-SNE', points: pts }];
};

const drawScatter = (method: string, v: Validation | undefined) => {
  const disc = vaDisc(
    document.getElementById(`scatter-${method}`) as HTMLCanvasElement,
    `held-out predictions — ${method}${v ? ` (iteration ${v.step})` : ''}`,
  );
  if (!v || !lastData) return;
  const labels = lastData.heldOut.labels;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < lastData.heldOut.count; i++) {
    dot(disc, labels[2 * i]!, labels[2 * i + 1]!, 'rgba(0,0,0,0.12)', 2);
    dot(disc, v.predictions[2 * i]!, v.predictions[2 * i + 1]!, diverging(labels[2 * i]!), 2.5);
    pts.push([v.predictions[2 * i]!, v.predictions[2 * i + 1]!]);
  }
  probe.charts[`scatter-${method}`] = [{ name: 'held-out predictions', points: pts }];
};

const runRecord = (s: Session) => ({
  step: s.step,
  images: s.images,
  seconds: s.seconds,
  imagesPerSecond: s.images / Math.max(s.seconds, 1e-9),
  steadyImagesPerSecond: s.steadyImages / Math.max(s.steadySeconds, 1e-9),
  /** As Node's trainer counts: iterations and held-out validations. */
  withValidationImagesPerSecond: s.images / Math.max(s.seconds + s.heldOutSeconds, 1e-9),
  outcomes: s.outcomes,
  validations: s.validations.map((v) => ({ step: v.step, heldOut: v.heldOut, train: v.train })),
});

const setProgress = (done: number, total: number, text: string) => {
  (document.getElementById('progress') as HTMLProgressElement).value = total ? done / total : 0;
  document.getElementById('progress-text')!.textContent = text;
};

const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

export const startTraining = async (): Promise<void> => {
  const startBtn = document.getElementById('start') as HTMLButtonElement;
  const stopBtn = document.getElementById('stop') as HTMLButtonElement;
  const status = document.getElementById('status')!;
  const fail = (msg: string) => {
    probe.phase = 'error';
    probe.error = msg;
    status.textContent = `error: ${msg}`;
    startBtn.disabled = false;
    stopBtn.disabled = true;
  };
  const parsed = pageRun(query());
  if (E.isLeft(parsed)) return fail(parsed.left);
  const run: PageRun = parsed.right;
  startBtn.disabled = true;
  stopBtn.disabled = false;
  stopRequested = false;
  probe.phase = 'training';
  probe.error = undefined;
  probe.runs = {};
  for (const s of sessions) s.dispose();
  sessions = [];
  tsneDone.clear();
  try {
    setProgress(0, 1, 'starting the backend…');
    const backend = await pageBackend(run.backend, run.threads);
    setProgress(0, 1, 'drawing the faces…');
    await yieldToPage();
    lastData = pageData(run);
    for (const spec of [run.baseline, run.elim]) {
      const s = Session.create(spec, lastData, backend, run.clipNorm);
      if (E.isLeft(s)) return fail(s.left);
      sessions.push(s.right);
    }
    document.getElementById('compare-line')!.textContent = `The same pair in Node: ${compareCommand(run, query())}`;
    const steps = run.baseline.settings.steps;
    let lastDraw = 0;
    while (sessions.some((s) => !s.done) && !stopRequested) {
      for (const s of sessions) {
        if (s.done) continue;
        const r = s.iterate();
        if (E.isLeft(r)) return fail(r.left);
        if (s.validationDue) s.validate();
      }
      const done = sessions.reduce((a, s) => a + s.step, 0);
      const ips = sessions.map((s) => `${s.method} ${(s.images / Math.max(s.seconds, 1e-9)).toFixed(0)} img/s`).join(', ');
      setProgress(done, 2 * steps, `iteration ${Math.min(...sessions.map((s) => s.step))} / ${steps} — ${ips}`);
      if (performance.now() - lastDraw > 250) {
        drawCharts(steps);
        lastDraw = performance.now();
      }
      await yieldToPage();
    }
    // a stopped run is validated where it stopped, as the trainer does
    for (const s of sessions) if (s.validations.at(-1)?.step !== s.step && s.step > 0) s.validate();
    drawCharts(steps);
    for (const s of sessions) probe.runs[s.method] = runRecord(s);
    probe.phase = stopRequested ? 'stopped' : 'done';
    const fmt = (s: Session) => {
      const v = s.validations.at(-1);
      return v
        ? `${s.method}: held-out CCC valence ${v.heldOut.valence.ccc.toFixed(3)}, arousal ${v.heldOut.arousal.ccc.toFixed(3)}; training ${v.train.valence.ccc.toFixed(3)} / ${v.train.arousal.ccc.toFixed(3)}`
        : `${s.method}: no iterations`;
    };
    status.textContent = `${probe.phase} after ${sessions[0]!.step} iterations.\n${sessions.map(fmt).join('\n')}\nELIM outcomes: ${JSON.stringify(sessions[1]!.outcomes)}`;
  } catch (err) {
    return fail(err instanceof Error ? `${err.message}` : String(err));
  }
  startBtn.disabled = false;
  stopBtn.disabled = true;
};

export const requestStop = (): void => {
  stopRequested = true;
};
