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

export const decodeWorkerSource = (): string => `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { readFile } = require('node:fs/promises');
${renderSample.toString()}
const jimpReady = import(workerData.jimpUrl);

async function decode(source) {
  if (typeof source !== 'string') return { data: source.data, width: source.width, height: source.height };
  let bytes;
  try {
    bytes = await readFile(source);
  } catch (err) {
    return { tag: 'MissingImage', message: 'cannot read image: ' + (err && err.message ? err.message : String(err)) };
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
    const img = await decode(job.source);
    if (img.tag) { failures.push({ slot: job.slot, tag: img.tag, message: img.message }); continue; }
    const per = 3 * job.transform.out * job.transform.out;
    renderSample(img.data, img.width, img.height, job.transform, dst, job.slot * per);
  }
  parentPort.postMessage({ id: msg.id, failures });
});
`;
