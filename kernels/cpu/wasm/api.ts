/**
 * The slice of the WebAssembly JS API these kernels use, typed locally: the project compiles
 * against lib ES2022 without DOM, whose typings (and @types/node 20's) lack `WebAssembly`.
 */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike; // a SharedArrayBuffer when shared
  grow(deltaPages: number): number;
}

/** A compiled module (opaque; can be posted to workers). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: { env: { memory: WasmMemory } }) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
}

/** The runtime's WebAssembly object, or undefined. */
export const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
