/**
 * The Benchmark tab: a contact sheet of the synthetic identities (training, then held-out; a
 * few frames each) and every identity's frames on the valence-arousal disc in its colour: the
 * personal emotion bands. The two sliders are the generator's regime options (band width,
 * expressive style); they also set the training runs' data.
 */
import * as E from 'fp-ts/lib/Either.js';
import { synthesizeInMemory } from '../../pipelines/data/synthetic/synthesize.js';
import { BAND_NAMES, STYLE_NAMES } from '../../pipelines/data/synthetic/face-model.js';
import { pageRun } from './config.js';
import { dot, imageCanvas, PALETTE, vaDisc } from './charts.js';
import { probe } from './probe.js';
import { query } from './train-view.js';

const slider = (name: string, label: string, choices: readonly string[], value: string, onInput: (v: string) => void): HTMLElement => {
  const l = document.createElement('label');
  const out = document.createElement('b');
  const r = document.createElement('input');
  r.type = 'range';
  r.min = '0';
  r.max = String(choices.length - 1);
  r.step = '1';
  r.name = name;
  r.value = String(Math.max(0, choices.indexOf(value)));
  out.textContent = value;
  r.addEventListener('input', () => {
    out.textContent = choices[Number(r.value)]!;
    onInput(choices[Number(r.value)]!);
  });
  l.append(`${label} `, r, ' ', out);
  return l;
};

export const buildRegimeControls = (onChange: () => void): void => {
  const box = document.getElementById('regime')!;
  const q = query();
  const set = (k: string) => (v: string) => {
    const next = query();
    next.set(k, v);
    history.replaceState(null, '', `?${next}`);
    const sel = document.querySelector<HTMLSelectElement>(`#form [name="${k}"]`);
    if (sel) sel.value = v;
    onChange();
  };
  box.append(
    slider('band', 'personal emotion band', BAND_NAMES, q.get('synth-band') ?? 'narrow', set('synth-band')),
    slider('style', 'expressive style', STYLE_NAMES, q.get('synth-style') ?? 'mild', set('synth-style')),
  );
  const note = document.createElement('div');
  note.className = 'muted';
  note.textContent =
    'narrow bands: each person feels within a small region of the disc (a strong identity shortcut); disc: everyone covers the whole disc. Style: how differently people show the same feeling.';
  box.append(note);
};

const FRAMES_SHOWN = 4;

export const drawBenchmark = (): void => {
  const sheet = document.getElementById('sheet')!;
  const run = pageRun(query());
  if (E.isLeft(run)) {
    sheet.textContent = run.left;
    return;
  }
  const s = run.right.synth;
  const ds = synthesizeInMemory({
    seed: run.right.seed,
    identities: s.identities,
    heldOut: s.heldOut,
    frames: s.frames,
    size: 64,
    band: s.band,
    style: s.style,
  });
  sheet.replaceChildren();
  const per = 64 * 64 * 4;
  const colour = new Map(ds.identities.map((id, k) => [id.name, PALETTE[k % PALETTE.length]!]));
  const firstFrame = new Map<string, number>();
  ds.frames.forEach((f, i) => firstFrame.has(f.identity) || firstFrame.set(f.identity, i));
  const group = (title: string, names: readonly string[]) => {
    const box = document.createElement('div');
    box.className = 'panel';
    box.style.maxWidth = '560px';
    const h = document.createElement('div');
    h.textContent = `${title} (${names.length})`;
    box.append(h);
    for (const name of names) {
      const cell = document.createElement('div');
      cell.style.cssText = `display:inline-block;margin:2px;border-bottom:3px solid ${colour.get(name)}`;
      cell.title = name;
      const f0 = firstFrame.get(name)!;
      for (let k = 0; k < FRAMES_SHOWN; k++) {
        const i = f0 + Math.floor((k * s.frames) / FRAMES_SHOWN);
        const c = imageCanvas(ds.rgba.subarray(i * per, (i + 1) * per), 64);
        c.style.width = '32px';
        c.style.height = '32px';
        cell.append(c);
      }
      box.append(cell);
    }
    return box;
  };
  const discs = document.createElement('div');
  for (const [title, names] of [
    ['training identities', ds.trainIdentities],
    ['held-out identities', ds.heldOutIdentities],
  ] as const) {
    const c = document.createElement('canvas');
    c.className = 'disc';
    discs.append(c);
    sheet.append(discs);
    const disc = vaDisc(c, `emotion bands — ${title}`);
    const set = new Set(names);
    ds.frames.forEach((f) => set.has(f.identity) && dot(disc, f.va[0], f.va[1], colour.get(f.identity)!, 2));
  }
  sheet.prepend(group('training identities', ds.trainIdentities), group('held-out identities', ds.heldOutIdentities));
  probe.benchmark = {
    band: ds.options.band,
    style: ds.options.style,
    train: ds.trainIdentities.length,
    heldOut: ds.heldOutIdentities.length,
    frames: ds.frames.length,
  };
};
