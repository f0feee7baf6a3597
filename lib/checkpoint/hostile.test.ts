/** Damaged checkpoints (issue #16): overlapping tensor data and non-finite weights are refused on load. */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { asParameter } from '../nn/tree.js';
import { decodeSafetensors, decodeSafetensorsMetadata, encodeSafetensors } from './safetensors.js';
import { decodeCheckpoint, encodeCheckpoint, templateOf } from './checkpoint.js';
import { describeCheckpointError } from './errors.js';

useBackend(createCpuBackend());

/** Rewrites a file's JSON header (same length, padded with spaces) — how a hostile file is made. */
const withHeader = (bytes: Uint8Array, edit: (h: Record<string, { data_offsets: number[] }>) => void): Uint8Array => {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(h);
  const json = new TextEncoder().encode(JSON.stringify(h));
  expect(json.length).toBeLessThanOrEqual(n);
  const out = bytes.slice();
  out.fill(0x20, 8, 8 + n);
  out.set(json, 8);
  return out;
};

describe('hostile safetensors', () => {
  it('tensors whose data_offsets overlap are refused (the format forbids aliasing)', () => {
    const good = encodeSafetensors(
      new Map([
        ['a', { shape: [2], data: Float32Array.from([1, 2]) }],
        ['b', { shape: [2], data: Float32Array.from([3, 4]) }],
      ]),
    );
    expect(E.isRight(decodeSafetensors(good))).toBe(true);
    const bad = withHeader(good, (h) => {
      h.b.data_offsets = [4, 12];
    });
    const r = decodeSafetensors(bad);
    expect(E.isLeft(r) && describeCheckpointError(r.left)).toMatch(/b: data_offsets \[4, 12\] overlap a \[0, 8\]/);
  });

  it('the metadata alone is read from the header bytes', () => {
    const bytes = encodeSafetensors(new Map([['a', { shape: [1], data: Float32Array.from([1]) }]]), { 'elim.step': '3' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(decodeSafetensorsMetadata(bytes.subarray(0, 8 + n), bytes.length)).toEqual(E.right({ 'elim.step': '3' }));
  });
});

describe('hostile checkpoints', () => {
  it('NaN or Inf weights are refused with the tensor named, not loaded into a model that predicts NaN', () => {
    const params = new Map([
      ['w', asParameter(T.tensor(Float32Array.from([1, NaN, Infinity, 2]), [4]))],
      ['b', asParameter(T.tensor(Float32Array.from([0]), [1]))],
    ]);
    const bytes = encodeCheckpoint({ step: 3, params, state: new Map() });
    const r = decodeCheckpoint(bytes, templateOf(params, new Map()));
    expect(E.isLeft(r) && r.left._tag).toBe('FormatError');
    expect(E.isLeft(r) && describeCheckpointError(r.left)).toMatch(/params\/w: 2 value\(s\), first at index 1/);
    const fine = new Map([
      ['w', asParameter(T.tensor(Float32Array.from([1, 0, -1, 2]), [4]))],
      ['b', params.get('b')!],
    ]);
    expect(E.isRight(decodeCheckpoint(encodeCheckpoint({ step: 3, params: fine, state: new Map() }), templateOf(fine, new Map())))).toBe(true);
  });
});
