/**
 * The decode worker, as JavaScript source for `new Worker(source, { eval: true })`. An eval
 * worker needs no file on disk, so it runs the same from TS sources under vitest and from
 * dist/*.js (tsc does not copy .js files into dist). It embeds `renderSample` by its source
 * text and imports jimp from a URL the main thread resolves, because an eval worker has no
 * module of its own to resolve 'jimp' against.
 *
 * Protocol: the main thread posts `{ id, buffer, jobs }` where `buffer` is a SharedArrayBuffer
 * holding the batch's floats and each job is `{ slot, source, transform }`; the worker renders
 * each into slot `slot` and replies `{ id, failures: [{ slot, tag, message }] }`.
 */
import { renderSample } from './sample-transform.js';
import { imageHeaderSize } from './image-header.js';

/**
 * Before decoding, each file must be a regular file (opened non-blocking: a FIFO is seen, not
 * waited on) within the byte budget, its header must name a known format and a pixel count
 * within the pixel budget, and the face box must be within `boxFactor` times the image's
 * larger side (the resampling cost grows with the box's area). Limits come from workerData.
 */
export const decodeWorkerSource = (): string => `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { open } = require('node:fs/promises');
const { constants } = require('node:fs');
${renderSample.toString()}
${imageHeaderSize.toString()}
const jimpReady = import(workerData.jimpUrl);
const limits = workerData.limits;

async function readImageFile(path) {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { tag: 'MissingImage', message: 'not a regular file: ' + path };
    if (st.size > limits.imageBytes) return { tag: 'CorruptImage', message: 'file of ' + st.size + ' bytes is over the ' + limits.imageBytes + '-byte image budget' };
    return { bytes: await fh.readFile() };
  } finally {
    await fh.close();
  }
}

async function decode(source, box) {
  if (typeof source !== 'string') return { data: source.data, width: source.width, height: source.height };
  let bytes;
  try {
    const r = await readImageFile(source);
    if (r.tag) return r;
    bytes = r.bytes;
  } catch (err) {
    return { tag: 'MissingImage', message: 'cannot read image: ' + (err && err.message ? err.message : String(err)) };
  }
  const dims = imageHeaderSize(bytes);
  if (!dims) return { tag: 'CorruptImage', message: 'not a PNG, JPEG, BMP or GIF image (or its header is damaged)' };
  if (!(dims.width >= 1 && dims.height >= 1)) return { tag: 'CorruptImage', message: 'header claims a ' + dims.width + 'x' + dims.height + ' image' };
  if (dims.width * dims.height > limits.imagePixels)
    return { tag: 'CorruptImage', message: dims.format + ' header claims ' + dims.width + 'x' + dims.height + ' pixels, over the budget of ' + limits.imagePixels };
  if (box) {
    const side = Math.max(dims.width, dims.height) * limits.boxFactor;
    if (!(Number.isFinite(box.x) && Number.isFinite(box.y) && box.width > 0 && box.height > 0 && box.width <= side && box.height <= side))
      return { tag: 'OutOfRange', message: 'face box ' + box.width + 'x' + box.height + ' at (' + box.x + ', ' + box.y + ') does not fit a ' + dims.width + 'x' + dims.height + ' image (at most ' + limits.boxFactor + 'x its larger side)' };
  }
  try {
    const { Jimp } = await jimpReady;
    const img = await Jimp.fromBuffer(bytes);
    return { data: img.bitmap.data, width: img.bitmap.width, height: img.bitmap.height };
  } catch (err) {
    return { tag: 'CorruptImage', message: 'cannot decode image: ' + (err && err.message ? err.message : String(err)) };
  }
}

parentPort.on('message', async (msg) => {
  const dst = new Float32Array(msg.buffer);
  const failures = [];
  for (const job of msg.jobs) {
    const img = await decode(job.source, job.transform.box);
    if (img.tag) { failures.push({ slot: job.slot, tag: img.tag, message: img.message }); continue; }
    const per = 3 * job.transform.out * job.transform.out;
    renderSample(img.data, img.width, img.height, job.transform, dst, job.slot * per);
  }
  parentPort.postMessage({ id: msg.id, failures });
});
`;
