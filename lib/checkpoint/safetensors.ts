/**
 * The safetensors format, pure (bytes in, bytes out; no file system here):
 *   8 bytes: little-endian u64 N = header length
 *   N bytes: UTF-8 JSON { name: { dtype, shape, data_offsets: [begin, end] }, ..., "__metadata__": { string: string } }
 *            (padded with spaces so the data starts 8-byte aligned)
 *   rest:    raw little-endian tensor data; offsets are relative to the start of this region.
 * Writes F32/F64. Reads F32/F64 as is, F16/BF16 widened to float32 and integer types (e.g.
 * torchvision's I64 `num_batches_tracked`) to float64, reporting the stored dtype.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { formatError, type CheckpointError } from './errors.js';

export type SafeDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafeDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export const safeDTypeOf = (d: DType): SafeDType => (d === 'float64' ? 'F64' : 'F32');

export interface RawTensor {
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

export interface DecodedTensor {
  /** The dtype stored in the file. */
  readonly dtype: SafeDType;
  readonly shape: readonly number[];
  readonly data: TypedArray;
}

export interface Safetensors {
  readonly tensors: Map<string, DecodedTensor>;
  readonly metadata: Record<string, string>;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const bytesOf = (a: TypedArray): Uint8Array => {
  const out = new Uint8Array(a.byteLength);
  if (LITTLE_ENDIAN) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  else {
    const dv = new DataView(out.buffer);
    const f64 = a instanceof Float64Array;
    for (let i = 0; i < a.length; i++) {
      if (f64) dv.setFloat64(i * 8, a[i], true);
      else dv.setFloat32(i * 4, a[i], true);
    }
  }
  return out;
};

/** Encodes tensors (in the map's order) and string metadata. */
export const encodeSafetensors = (tensors: ReadonlyMap<string, RawTensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array => {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of tensors) {
    const b = bytesOf(t.data);
    header[name] = { dtype: t.data instanceof Float64Array ? 'F64' : 'F32', shape: [...t.shape], data_offsets: [offset, offset + b.byteLength] };
    parts.push(b);
    offset += b.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

const half = (h: number): number => {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
};

const readValues = (dv: DataView, dtype: SafeDType, n: number): TypedArray => {
  if (dtype === 'F32' || dtype === 'F16' || dtype === 'BF16') {
    const out = new Float32Array(n);
    if (dtype === 'F32' && LITTLE_ENDIAN) out.set(new Float32Array(dv.buffer.slice(dv.byteOffset, dv.byteOffset + n * 4)));
    else
      for (let i = 0; i < n; i++)
        out[i] =
          dtype === 'F32'
            ? dv.getFloat32(i * 4, true)
            : dtype === 'F16'
              ? half(dv.getUint16(i * 2, true))
              : new Float32Array(new Uint32Array([dv.getUint16(i * 2, true) << 16]).buffer)[0];
    return out;
  }
  const out = new Float64Array(n);
  if (dtype === 'F64' && LITTLE_ENDIAN) out.set(new Float64Array(dv.buffer.slice(dv.byteOffset, dv.byteOffset + n * 8)));
  else {
    const get: Record<Exclude<SafeDType, 'F32' | 'F16' | 'BF16'>, (i: number) => number> = {
      F64: (i) => dv.getFloat64(i * 8, true),
      I64: (i) => Number(dv.getBigInt64(i * 8, true)),
      I32: (i) => dv.getInt32(i * 4, true),
      I16: (i) => dv.getInt16(i * 2, true),
      I8: (i) => dv.getInt8(i),
      U8: (i) => dv.getUint8(i),
      BOOL: (i) => dv.getUint8(i),
    };
    const g = get[dtype];
    for (let i = 0; i < n; i++) out[i] = g(i);
  }
  return out;
};

/** The header length a file's first 8 bytes announce (so a reader can fetch just the header). */
export const headerLength = (first8: Uint8Array): number =>
  first8.byteLength < 8 ? -1 : Number(new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true));

const parseHeader = (bytes: Uint8Array, fileBytes: number): E.Either<CheckpointError, { header: Record<string, unknown>; n: number }> => {
  if (bytes.byteLength < 8) return E.left(formatError(`file of ${bytes.byteLength} bytes has no header length`));
  const n = headerLength(bytes);
  if (n > fileBytes - 8 || n > bytes.byteLength - 8) return E.left(formatError(`header length ${n} exceeds the file (${fileBytes} bytes)`));
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    return E.left(formatError(`header is not UTF-8 JSON (${(err as Error).message})`));
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) return E.left(formatError('header is not a JSON object'));
  return E.right({ header: header as Record<string, unknown>, n });
};

const metadataOf = (entry: unknown): Record<string, string> | undefined =>
  entry === null || typeof entry !== 'object' || Array.isArray(entry) || Object.values(entry).some((v) => typeof v !== 'string')
    ? undefined
    : (entry as Record<string, string>);

/**
 * Just the `__metadata__` of a file, from its first `8 + headerLength` bytes (`fileBytes` is the
 * whole file's size): what a caller checks before it builds anything from the tensors.
 */
export const decodeSafetensorsMetadata = (prefix: Uint8Array, fileBytes = prefix.byteLength): E.Either<CheckpointError, Record<string, string>> => {
  const h = parseHeader(prefix, fileBytes);
  if (E.isLeft(h)) return h;
  const m = h.right.header.__metadata__ === undefined ? {} : metadataOf(h.right.header.__metadata__);
  return m ? E.right(m) : E.left(formatError('__metadata__ must map strings to strings'));
};

export const decodeSafetensors = (bytes: Uint8Array): E.Either<CheckpointError, Safetensors> => {
  const parsed = parseHeader(bytes, bytes.byteLength);
  if (E.isLeft(parsed)) return parsed;
  const { header, n } = parsed.right;
  const dataStart = 8 + n;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, DecodedTensor>();
  let metadata: Record<string, string> = {};
  const problems: string[] = [];
  const spans: Array<{ name: string; begin: number; end: number }> = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      const m = metadataOf(entry);
      if (!m) problems.push('__metadata__ must map strings to strings');
      else metadata = m;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = e?.dtype as SafeDType;
    if (!(typeof dtype === 'string' && dtype in BYTES)) {
      problems.push(`${name}: unsupported dtype ${JSON.stringify(e?.dtype)}`);
      continue;
    }
    const shape = e.shape;
    const offs = e.data_offsets;
    if (
      !Array.isArray(shape) ||
      !shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Array.isArray(offs) ||
      offs.length !== 2 ||
      !offs.every((d) => Number.isInteger(d))
    ) {
      problems.push(`${name}: malformed shape or data_offsets`);
      continue;
    }
    const count = shape.reduce((a: number, b: number) => a * b, 1);
    const [b, end] = offs as [number, number];
    if (b < 0 || end < b || end > dataLen || end - b !== count * BYTES[dtype]) {
      problems.push(`${name}: data_offsets [${b}, ${end}] do not hold ${count} ${dtype} values within ${dataLen} data bytes`);
      continue;
    }
    spans.push({ name, begin: b, end });
    tensors.set(name, { dtype, shape, data: readValues(new DataView(bytes.buffer, bytes.byteOffset + dataStart + b, end - b), dtype, count) });
  }
  // The format forbids tensors sharing bytes: two names over one span would alias silently.
  const sorted = spans.filter((x) => x.end > x.begin).sort((x, y) => x.begin - y.begin);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].begin < sorted[i - 1].end)
      problems.push(
        `${sorted[i].name}: data_offsets [${sorted[i].begin}, ${sorted[i].end}] overlap ${sorted[i - 1].name} [${sorted[i - 1].begin}, ${sorted[i - 1].end}]`,
      );
  return problems.length ? E.left(formatError(problems.join('; '))) : E.right({ tensors, metadata });
};
