import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../../kernels/cpu/cpu-backend.js';
import { useBackend } from '../backend/current.js';
import * as T from '../ops/index.js';
import { Rng } from '../rng/rng.js';
import * as nn from '../nn/index.js';
import { adam } from '../optim/adam.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint, templateOf, type FileIO } from './checkpoint.js';
import { describeCheckpointError, type CheckpointError, type Mismatch } from './errors.js';
import { importTorchvision, TORCHVISION_IGNORE } from './torchvision.js';

useBackend(createCpuBackend());

const left = <A>(e: E.Either<CheckpointError, A>): CheckpointError => {
  if (E.isRight(e)) throw new Error('expected a Left');
  return e.left;
};

/** In-memory files; `failRename` simulates a crash between write and rename. */
const memoryIO = (failRename = false) => {
  const files = new Map<string, Uint8Array>();
  const io: FileIO = {
    readFile: async (p) => {
      const f = files.get(p);
      if (!f) throw new Error(`ENOENT ${p}`);
      return f;
    },
    writeFile: async (p, d) => void files.set(p, d.slice()),
    rename: async (a, b) => {
      if (failRename) throw new Error('killed');
      files.set(b, files.get(a)!);
      files.delete(a);
    },
  };
  return { files, io };
};

describe('safetensors codec', () => {
  it('round-trips F32/F64 tensors and metadata; header is 8-byte aligned with LE u64 length', () => {
    const bytes = encodeSafetensors(
      new Map([
        ['a', { shape: [2, 2], data: Float32Array.from([1, -2.5, 3, 1e-30]) }],
        ['b.c', { shape: [3], data: Float64Array.from([Math.PI, -0, 1e300]) }],
        ['empty', { shape: [0, 4], data: new Float32Array(0) }],
      ]),
      { note: 'hi' },
    );
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.a).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(header['b.c'].data_offsets).toEqual([16, 40]);
    const d = decodeSafetensors(bytes);
    if (E.isLeft(d)) throw new Error(d.left._tag);
    expect(Array.from(d.right.tensors.get('a')!.data)).toEqual(Array.from(Float32Array.from([1, -2.5, 3, 1e-30])));
    expect(Array.from(d.right.tensors.get('b.c')!.data)).toEqual([Math.PI, -0, 1e300]);
    expect(d.right.tensors.get('empty')!.shape).toEqual([0, 4]);
    expect(d.right.metadata).toEqual({ note: 'hi' });
  });
  it('rejects truncated files and bad offsets with a FormatError', () => {
    const bytes = encodeSafetensors(new Map([['a', { shape: [4], data: new Float32Array(4) }]]));
    expect(left(decodeSafetensors(bytes.subarray(0, 5)))._tag).toBe('FormatError');
    expect(left(decodeSafetensors(bytes.subarray(0, bytes.length - 1)))._tag).toBe('FormatError');
  });
});

const model = () => {
  const al = nn.createAl64({ ...nn.AL64_TINY, width: 0.125 });
  const { params, state } = nn.initModule(al.encoder, Rng.fromSeed(1));
  return { al, params, state };
};

describe('training checkpoints', () => {
  it('save (temp + rename) and load restore params, state, optimiser, rng and step exactly', async () => {
    const { params, state } = model();
    const opt = adam({ lr: 1e-3 });
    const os = opt.init(params);
    const rng = Rng.fromSeed(42);
    rng.uniform();
    const { files, io } = memoryIO();
    const saved = await saveCheckpoint(io, 'run/ckpt.safetensors', {
      step: 7,
      params,
      state,
      optimizer: { ...os, step: 7 },
      rng: { dropout: rng.state() },
      metadata: { config: '{"x":1}' },
    })();
    expect(E.isRight(saved)).toBe(true);
    expect([...files.keys()]).toEqual(['run/ckpt.safetensors']);
    const loaded = await loadCheckpoint(io, 'run/ckpt.safetensors', templateOf(params, state, os))();
    if (E.isLeft(loaded)) throw new Error(describeCheckpointError(loaded.left));
    const c = loaded.right;
    expect(c.step).toBe(7);
    expect(c.optimizer!.step).toBe(7);
    expect(c.metadata).toEqual({ config: '{"x":1}' });
    expect(new Rng(c.rng!.dropout).uniform()).toBe(rng.uniform());
    for (const [n, t] of params) {
      expect(Array.from(c.params.get(n)!.toArray())).toEqual(Array.from(t.toArray()));
      expect(c.params.get(n)!.requiresGrad).toBe(true);
    }
    for (const [n, t] of state) expect(Array.from(c.state.get(n)!.toArray())).toEqual(Array.from(t.toArray()));
    expect([...c.optimizer!.slots.keys()].sort()).toEqual([...os.slots.keys()].sort());
  });
  it('a crash before the rename leaves the previous checkpoint intact', async () => {
    const { params, state } = model();
    const ok = memoryIO();
    await saveCheckpoint(ok.io, 'c', { step: 1, params, state })();
    const before = ok.files.get('c');
    const crashing: FileIO = {
      ...ok.io,
      rename: async () => {
        throw new Error('SIGKILL');
      },
    };
    const r = await saveCheckpoint(crashing, 'c', { step: 2, params, state })();
    expect(left(r)).toMatchObject({ _tag: 'IoError', op: 'rename' });
    expect(ok.files.get('c')).toBe(before);
    const missing = await loadCheckpoint(ok.io, 'nope', templateOf(params, state))();
    expect(left(missing)).toMatchObject({ _tag: 'IoError', op: 'read', path: 'nope' });
  });
  it('reports every mismatch: missing, unexpected, shape and dtype', () => {
    const { params, state } = model();
    const bytes = encodeCheckpoint({ step: 0, params, state });
    const other = nn.initModule(nn.createAl64({ ...nn.AL64_TINY, width: 0.125, latent: 8 }).encoder, Rng.fromSeed(1));
    const tpl = templateOf(other.params, other.state);
    const extra = new Map(tpl.params);
    extra.set('extra.weight', { shape: [1], dtype: 'float32' });
    extra.set('backbone.features.0.bias', { shape: [4], dtype: 'float64' });
    extra.delete('backbone.features.0.weight');
    const e = left(decodeCheckpoint(bytes, { ...tpl, params: extra }));
    if (e._tag !== 'MismatchError') throw new Error(e._tag);
    const tags = (t: Mismatch['_tag']) =>
      e.mismatches
        .filter((m) => m._tag === t)
        .map((m) => m.name)
        .sort();
    expect(tags('Missing')).toEqual(['params/extra.weight']);
    expect(tags('Unexpected')).toEqual(['params/backbone.features.0.weight']);
    expect(tags('DTypeMismatch')).toEqual(['params/backbone.features.0.bias']);
    // latent 64 -> 8 changes the second regressor Linear and its BatchNorm: all reported
    expect(tags('ShapeMismatch')).toEqual(
      [
        'params/regressor.3.bias',
        'params/regressor.3.weight',
        'params/regressor.4.bias',
        'params/regressor.4.weight',
        'state/regressor.4.running_mean',
        'state/regressor.4.running_var',
      ].sort(),
    );
    expect(describeCheckpointError(e)).toContain('9 problems');
  });
});

describe('torchvision import', () => {
  /** A file laid out as safetensors.torch.save_file(model.state_dict()) writes it. */
  const torchvisionFile = (b: nn.Backbone, extra: Array<[string, number[]]>) => {
    const rng = Rng.fromSeed(5);
    const entries = new Map<string, { shape: readonly number[]; data: Float32Array | Float64Array }>();
    for (const s of [...b.module.params, ...b.module.state]) {
      const a = new Float32Array(s.shape.reduce((x, y) => x * y, 1));
      rng.fillUniform(a, -1, 1);
      entries.set(s.name, { shape: s.shape, data: a });
    }
    for (const [n, shape] of extra) entries.set(n, { shape, data: new Float32Array(shape.reduce((x, y) => x * y, 1)) });
    return { entries, bytes: encodeSafetensors(entries) };
  };
  const withI64Counters = (bytes: Uint8Array, names: string[]): Uint8Array => {
    // splice I64 num_batches_tracked scalars into the header (our encoder writes floats only)
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    const data = bytes.subarray(8 + n);
    let off = data.length;
    for (const name of names) {
      header[name] = { dtype: 'I64', shape: [], data_offsets: [off, off + 8] };
      off += 8;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + off);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    names.forEach((_, i) => new DataView(out.buffer).setBigInt64(8 + json.length + data.length + 8 * i, 42n, true));
    return out;
  };

  it('loads a ResNet18 state_dict (conv1, bn1.running_mean, layer1.0.conv1, fc, I64 counters) into an encoder', () => {
    const r18 = nn.resnet18({ inputSize: 32, width: 4, numClasses: 10 });
    const { entries, bytes } = torchvisionFile(r18, []);
    const file = withI64Counters(bytes, ['bn1.num_batches_tracked', 'layer1.0.bn1.num_batches_tracked']);
    expect(decodeSafetensors(file)).toMatchObject({ _tag: 'Right' });
    const enc = nn.encoder(r18, { hidden: 8, latent: 4 });
    const r = importTorchvision(file, enc, { prefix: 'backbone.' });
    if (E.isLeft(r)) throw new Error(describeCheckpointError(r.left));
    for (const n of ['conv1.weight', 'layer1.0.conv1.weight', 'layer2.0.downsample.0.weight', 'fc.weight', 'fc.bias']) {
      expect(Array.from(r.right.params.get(`backbone.${n}`)!.toArray())).toEqual(Array.from(entries.get(n)!.data));
    }
    expect(Array.from(r.right.state.get('backbone.bn1.running_mean')!.toArray())).toEqual(Array.from(entries.get('bn1.running_mean')!.data));
    expect(r.right.params.size).toBe(r18.module.params.length);
    // the imported trees run through the model
    const x = T.randomNormal([2, 3, 32, 32], Rng.fromSeed(1));
    const y = r18.module.apply(nn.subtree(r.right.params, 'backbone'), nn.subtree(r.right.state, 'backbone'), x, { training: false }).y;
    expect(y.shape).toEqual([2, 10]);
  });
  it('loads AlexNet features.* ignoring classifier.*, converting to float64, and reports what does not fit', () => {
    const alex = nn.alexnetFeatures({ inputSize: 64, width: 0.125 });
    const { bytes } = torchvisionFile(alex, [['classifier.1.weight', [4, 4]]]);
    const ok = importTorchvision(bytes, alex.module, { ignore: TORCHVISION_IGNORE.alexnetFeatures, dtype: 'float64' });
    if (E.isLeft(ok)) throw new Error(describeCheckpointError(ok.left));
    expect(ok.right.params.get('features.0.weight')!.dtype).toBe('float64');
    const strict = left(importTorchvision(bytes, alex.module));
    expect(strict).toMatchObject({ _tag: 'MismatchError', mismatches: [{ _tag: 'Unexpected', name: 'classifier.1.weight' }] });
    const wider = left(importTorchvision(bytes, nn.alexnetFeatures({ inputSize: 64, width: 0.25 }).module, { ignore: TORCHVISION_IGNORE.alexnetFeatures }));
    expect(wider._tag === 'MismatchError' && wider.mismatches.length).toBe(10); // every conv weight and bias
  });
});
