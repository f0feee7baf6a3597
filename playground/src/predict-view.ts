/**
 * The Predict tab: a checkpoint from `elim train` (a file, or a URL fetched with progress,
 * through the root entry's loadTrainedModelFromBytes / loadTrainedModelFromUrl), then images
 * (dropped or chosen): each is centre-cropped to a square, resized to the model's input size on
 * a canvas, ImageNet-normalised like the training images, and predicted in evaluation mode.
 */
import * as E from 'fp-ts/lib/Either.js';
import { loadTrainedModelFromBytes, loadTrainedModelFromUrl, predictImages, type LoadedModel } from '../../entries/index.js';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../pipelines/data/images/sample-transform.js';
import { someBackend } from './backend.js';
import { dot, vaDisc } from './charts.js';
import { probe } from './probe.js';

let loaded: LoadedModel | null = null;
const results: Array<{ name: string; valence: number; arousal: number; thumb: string }> = [];

const info = (msg: string) => (document.getElementById('ckpt-info')!.textContent = msg);

const accept = (r: E.Either<string, LoadedModel>, name: string) => {
  if (E.isLeft(r)) {
    info(r.left);
    probe.predict = { ...probe.predict, error: r.left };
    return;
  }
  loaded = r.right;
  const s = loaded.model.spec;
  info(
    `${name}: ${loaded.method}, ${s.backbone} at ${s.inputSize} px, latent ${s.latent}, trained ${loaded.step} iterations (seed ${loaded.seed}). Now drop images.`,
  );
  probe.predict = { checkpoint: name, method: loaded.method, step: loaded.step, inputSize: s.inputSize };
  results.length = 0;
  draw();
};

/** An image file -> [3, s, s] ImageNet-normalised (centre square crop, canvas resize) and a thumbnail. */
const prepare = async (file: Blob, s: number): Promise<{ x: Float32Array; thumb: string }> => {
  const bmp = await createImageBitmap(file);
  const side = Math.min(bmp.width, bmp.height);
  const c = document.createElement('canvas');
  c.width = s;
  c.height = s;
  const g = c.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bmp, (bmp.width - side) / 2, (bmp.height - side) / 2, side, side, 0, 0, s, s);
  const px = g.getImageData(0, 0, s, s).data;
  const x = new Float32Array(3 * s * s);
  for (let ch = 0; ch < 3; ch++) for (let p = 0; p < s * s; p++) x[ch * s * s + p] = (px[4 * p + ch]! / 255 - IMAGENET_MEAN[ch]!) / IMAGENET_STD[ch]!;
  const t = document.createElement('canvas');
  t.width = 48;
  t.height = 48;
  t.getContext('2d')!.drawImage(bmp, (bmp.width - side) / 2, (bmp.height - side) / 2, side, side, 0, 0, 48, 48);
  return { x, thumb: t.toDataURL() };
};

const predictFiles = async (files: readonly File[]) => {
  if (!loaded) {
    info('load a checkpoint first');
    return;
  }
  const s = loaded.model.spec.inputSize;
  const prepared = await Promise.all(files.map((f) => prepare(f, s)));
  const x = new Float32Array(prepared.length * 3 * s * s);
  prepared.forEach((p, i) => x.set(p.x, i * 3 * s * s));
  const backend = await someBackend();
  const { predictions } = predictImages(loaded, x, prepared.length, backend);
  files.forEach((f, i) => results.push({ name: f.name, valence: predictions[2 * i]!, arousal: predictions[2 * i + 1]!, thumb: prepared[i]!.thumb }));
  probe.predict = { ...probe.predict, predictions: results.map(({ name, valence, arousal }) => ({ name, valence, arousal })) };
  draw();
};

const draw = () => {
  const disc = vaDisc(document.getElementById('predict-disc') as HTMLCanvasElement, 'predictions');
  const list = document.getElementById('predict-list')!;
  list.replaceChildren();
  results.forEach((r, i) => {
    dot(disc, r.valence, r.arousal, '#d62728', 4);
    const [x, y] = disc.at(r.valence, r.arousal);
    disc.g.fillStyle = '#333';
    disc.g.fillText(String(i + 1), x + 5, y - 3);
    const row = document.createElement('div');
    const img = document.createElement('img');
    img.src = r.thumb;
    img.style.cssText = 'width:48px;height:48px;vertical-align:middle;margin:2px 6px 2px 0';
    row.append(img, `${i + 1}. ${r.name}: valence ${r.valence.toFixed(3)}, arousal ${r.arousal.toFixed(3)}`);
    list.append(row);
  });
};

export const buildPredict = (initialUrl: string | null): void => {
  const url = document.getElementById('ckpt-url') as HTMLInputElement;
  const bar = document.getElementById('ckpt-progress') as HTMLProgressElement;
  if (initialUrl) url.value = initialUrl;
  document.getElementById('ckpt-load')!.addEventListener('click', async () => {
    const file = (document.getElementById('ckpt-file') as HTMLInputElement).files?.[0];
    const backend = await someBackend();
    if (file) return accept(loadTrainedModelFromBytes(new Uint8Array(await file.arrayBuffer()), backend, file.name), file.name);
    if (!url.value) return info('choose a checkpoint file or give a URL');
    info(`fetching ${url.value}…`);
    const r = await loadTrainedModelFromUrl(url.value, backend, { onProgress: (p) => (bar.value = p.total ? p.loaded / p.total : 0.5) });
    bar.value = 1;
    accept(r, url.value);
  });
  const images = document.getElementById('images') as HTMLInputElement;
  images.addEventListener('change', () => void predictFiles([...(images.files ?? [])]));
  const drop = document.getElementById('drop')!;
  drop.addEventListener('dragover', (e) => e.preventDefault());
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    void predictFiles([...(e.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith('image/')));
  });
  draw();
};
